package io.slackmq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code slackmq.jar} as a separate process, the way a user does. */
final class CliProcess {
  record Result(int exitCode, String out, String err) {}

  private CliProcess() {}

  static Path jar() {
    Path jar = Path.of("target", "slackmq.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "run through `mvn verify`: the integration tests need " + jar.toAbsolutePath());
    }
    return jar;
  }

  static ProcessBuilder builder(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Runs to completion (or fails after the timeout) and returns its exit code and output. */
  static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("slackmq-out", ".txt");
    Path err = Files.createTempFile("slackmq-err", ".txt");
    Process p = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "slackmq "
              + String.join(" ", args)
              + " did not end within "
              + timeoutSeconds
              + " s; output so far:\n"
              + Files.readString(out)
              + Files.readString(err));
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code slackmq emulator} on a free port and waits until it has written {@code envFile}
   * (its tokens and ids), the way a user starts one for a worker.
   */
  static Process emulator(Path envFile) throws IOException {
    Process p =
        builder("emulator", "--port", "0", "--env-file", envFile.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> Files.exists(envFile));
    return p;
  }

  /** The lines {@code p} prints, as they come (read on a daemon thread). */
  static java.util.concurrent.BlockingQueue<String> lines(Process p) {
    java.util.concurrent.BlockingQueue<String> lines =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (java.io.BufferedReader r =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
