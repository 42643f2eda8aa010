package io.slackmq.emulator;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the Node checks under scripts/ (official Node clients against the emulator). */
final class NodeScripts {
  private NodeScripts() {}

  static Path dir(String name) {
    return Path.of("..", "scripts", name);
  }

  /** Starts a command in {@code dir}, its output appended to {@code output}. */
  static Process start(Path dir, List<String> command, Map<String, String> env, Path output)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs a command to its end; fails the test when it outlives the timeout. */
  static int run(
      Path dir, List<String> command, Map<String, String> env, Path output, int timeoutSeconds)
      throws IOException, InterruptedException {
    return await(start(dir, command, env, output), command, output, timeoutSeconds);
  }

  static int await(Process p, List<String> command, Path output, int timeoutSeconds)
      throws IOException, InterruptedException {
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          command
              + " did not finish in "
              + timeoutSeconds
              + " s: "
              + Files.readString(output, StandardCharsets.UTF_8));
    }
    return p.exitValue();
  }

  static boolean onPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }
}
