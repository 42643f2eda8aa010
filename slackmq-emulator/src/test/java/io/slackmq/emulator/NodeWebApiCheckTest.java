package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official Node client (@slack/web-api) against the emulator, changed only in its base URL:
 * scripts/node-webapi-check/check.mjs. Skipped only when node or npm is not installed.
 */
class NodeWebApiCheckTest {
  private static final Path SCRIPT_DIR = Path.of("..", "scripts", "node-webapi-check");

  @Test
  void nodeClient_worksAgainstTheEmulator() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for this check");
    Path output = Files.createTempFile("node-webapi-check", ".log");
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), output, 300);
      Map<String, String> env = Map.of(
          "SLACK_API_URL", slack.apiUrl(),
          "SLACK_BOT_TOKEN", slack.env().get("SLACK_BOT_TOKEN"),
          "SLACK_CHANNEL", slack.env().get("SLACK_CHANNEL"));
      int exit = run(List.of("node", "check.mjs"), env, output, 60);
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(exit).as(log).isZero();
      assertThat(log).contains("second pins.add -> already_pinned", "all checks passed");
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static int run(List<String> command, Map<String, String> env, Path output,
      int timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(SCRIPT_DIR.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s: "
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    return p.exitValue();
  }

  private static boolean onPath(String executable) {
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
