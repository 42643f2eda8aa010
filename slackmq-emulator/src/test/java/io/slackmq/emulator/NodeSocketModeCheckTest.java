package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official Node Socket Mode client (@slack/socket-mode 2.x) against the emulator, changed only
 * in its base URL: scripts/node-socketmode-check/check.mjs. Skipped only when node or npm is not
 * installed.
 */
class NodeSocketModeCheckTest {
  private static final Path SCRIPT_DIR = NodeScripts.dir("node-socketmode-check");

  @Test
  void nodeSocketModeClient_receivesAndAcksAMessageEvent() throws Exception {
    assumeTrue(
        NodeScripts.onPath("node") && NodeScripts.onPath("npm"),
        "node and npm are needed for this check");
    Path output = Files.createTempFile("node-socketmode-check", ".log");
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      NodeScripts.run(
          SCRIPT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), output, 300);
      String appId = slack.env().get("SLACK_APP_ID_SLACKMQ_A");
      Map<String, String> env =
          Map.of(
              "SLACK_API_URL", slack.apiUrl(),
              "SLACK_APP_TOKEN", slack.env().get("SLACK_APP_TOKEN"),
              "EXPECT_TEXT", "hello from java");
      List<String> command = List.of("node", "check.mjs");
      Process node = NodeScripts.start(SCRIPT_DIR, command, env, output);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !node.isAlive()
                      || slack.realtime().sockets.liveConnections().getOrDefault(appId, 0) > 0);
      var posted =
          SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE"))
              .chatPostMessage(
                  q -> q.channel(slack.env().get("SLACK_CHANNEL")).text("hello from java"));
      assertThat(posted.isOk()).isTrue();
      int exit = NodeScripts.await(node, command, output, 60);
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(exit).as(log).isZero();
      assertThat(log)
          .contains("from app " + appId, "\"text\":\"hello from java\"", "all checks passed");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> slack.realtime().delivery.toJson().path(appId).path("acked").asLong() == 1);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
