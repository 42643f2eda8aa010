package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official Node client (@slack/web-api) against the emulator, changed only in its base URL:
 * scripts/node-webapi-check/check.mjs. Skipped only when node or npm is not installed.
 */
class NodeWebApiCheckTest {
  private static final Path SCRIPT_DIR = NodeScripts.dir("node-webapi-check");

  @Test
  void nodeClient_worksAgainstTheEmulator() throws Exception {
    assumeTrue(
        NodeScripts.onPath("node") && NodeScripts.onPath("npm"),
        "node and npm are needed for this check");
    Path output = Files.createTempFile("node-webapi-check", ".log");
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      NodeScripts.run(
          SCRIPT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), output, 300);
      Map<String, String> env =
          Map.of(
              "SLACK_API_URL", slack.apiUrl(),
              "SLACK_BOT_TOKEN", slack.env().get("SLACK_BOT_TOKEN"),
              "SLACK_CHANNEL", slack.env().get("SLACK_CHANNEL"));
      int exit = NodeScripts.run(SCRIPT_DIR, List.of("node", "check.mjs"), env, output, 60);
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(exit).as(log).isZero();
      assertThat(log).contains("second pins.add -> already_pinned", "all checks passed");
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
