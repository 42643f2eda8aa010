package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  @TempDir Path dir;

  @Test
  void restart_sameDataDir_keepsWorkspaceAndTokens() throws Exception {
    Map<String, String> before;
    String channelId;
    try (Emulator slack = Emulator.builder().noRateLimits().dataDir(dir).start()) {
      assertThat(slack.restored()).isFalse();
      AdminClient admin = new AdminClient(slack);
      channelId =
          admin
              .post("channels", "{\"name\":\"builds\",\"members\":[\"slackmq-a\"]}")
              .json()
              .at("/channel/id")
              .asText();
      admin.post("channels/" + channelId + "/members", "{\"user\":\"alice\"}");
      before = slack.env();
    }
    try (Emulator slack = Emulator.builder().noRateLimits().dataDir(dir).start()) {
      assertThat(slack.restored()).isTrue();
      Map<String, String> after = new HashMap<>(slack.env());
      after.put("SLACK_API_URL", before.get("SLACK_API_URL")); // a new port
      assertThat(after).isEqualTo(before);
      JsonNode ch = channel(new AdminClient(slack).get("workspace").json(), channelId);
      assertThat(ch.get("members")).hasSize(2);
      // Tokens still work after the restart.
      assertThat(SdkClients.methods(slack, before.get("SLACK_BOT_TOKEN")).authTest(q -> q).isOk())
          .isTrue();
    }
  }

  @Test
  void restart_newIdsAndTokens_neverReuseOldOnes() throws Exception {
    Set<String> seen = new HashSet<>();
    try (Emulator slack = Emulator.builder().seed(7).dataDir(dir).start()) {
      seen.addAll(slack.env().values());
      seen.add(createApp(slack, "first").get("id").asText());
    }
    try (Emulator slack = Emulator.builder().seed(7).dataDir(dir).start()) {
      JsonNode app = createApp(slack, "second");
      for (String field :
          List.of("id", "bot_user_id", "bot_id", "bot_token", "app_token", "signing_secret")) {
        assertThat(seen).doesNotContain(app.get(field).asText());
      }
      JsonNode fresh = new AdminClient(slack).post("channels", "{\"name\":\"fresh\"}").json();
      assertThat(seen).doesNotContain(fresh.at("/channel/id").asText());
    }
  }

  @Test
  void killMinus9_everyAcknowledgedWriteSurvives() throws Exception {
    Path data = dir.resolve("data");
    Path envFile = dir.resolve("slack.env");
    Process child = startChild(data, envFile);
    Acknowledged acked = new Acknowledged();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(envFile));
      Map<String, String> env = readEnv(envFile);
      // Writes keep going while the process is killed; only the answered ones must survive.
      Thread writer = new Thread(() -> acked.writeUntilFailure(env));
      writer.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> acked.messages.size() >= 60);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      child.waitFor();
      writer.join(Duration.ofSeconds(30).toMillis());
    } finally {
      child.destroyForcibly();
    }
    try (Emulator slack = Emulator.builder().noRateLimits().dataDir(data).start()) {
      assertThat(slack.restored()).isTrue();
      JsonNode ws = new AdminClient(slack).get("workspace").json();
      Set<String> ids = new HashSet<>();
      ws.get("channels").forEach(c -> ids.add(c.get("id").asText()));
      assertThat(ids).containsAll(acked.channels);

      MethodsClient bot = SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN"));
      String ch = slack.env().get("SLACK_CHANNEL");
      Set<String> pinned = new HashSet<>();
      bot.pinsList(q -> q.channel(ch)).getItems().forEach(i -> pinned.add(i.getMessage().getTs()));
      assertThat(pinned).containsAll(acked.pins);
      for (String ts : acked.messages) {
        var r = bot.reactionsGet(q -> q.channel(ch).timestamp(ts));
        assertThat(r.isOk()).as("message %s", ts).isTrue();
        if (acked.reactions.contains(ts)) {
          assertThat(r.getMessage().getReactions()).as("reaction on %s", ts).isNotEmpty();
        }
      }
    }
  }

  /** Writes through the SDK and the admin API, keeping what was answered ok. */
  private static final class Acknowledged {
    final Set<String> messages = ConcurrentHashMap.newKeySet();
    final Set<String> pins = ConcurrentHashMap.newKeySet();
    final Set<String> reactions = ConcurrentHashMap.newKeySet();
    final Set<String> channels = ConcurrentHashMap.newKeySet();

    void writeUntilFailure(Map<String, String> env) {
      Slack sdk = Slack.getInstance(sdkConfig(env.get("SLACK_API_URL")));
      MethodsClient bot = sdk.methods(env.get("SLACK_BOT_TOKEN"));
      AdminClient admin = new AdminClient(env.get("SLACK_API_URL"));
      String ch = env.get("SLACK_CHANNEL");
      try {
        for (int i = 0; ; i++) {
          String ts = bot.chatPostMessage(q -> q.channel(ch).text("job")).getTs();
          if (ts == null) {
            continue;
          }
          messages.add(ts);
          if (i < 50 && bot.pinsAdd(q -> q.channel(ch).timestamp(ts)).isOk()) {
            pins.add(ts);
          }
          if (bot.reactionsAdd(q -> q.channel(ch).timestamp(ts).name("eyes")).isOk()) {
            reactions.add(ts);
          }
          AdminClient.Reply r = admin.post("channels", "{\"name\":\"c" + i + "\"}");
          if (r.status() == 201) {
            channels.add(r.json().at("/channel/id").asText());
          }
        }
      } catch (Exception e) {
        // the process is gone
      }
    }
  }

  private static SlackConfig sdkConfig(String apiUrl) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(apiUrl);
    config.setStatsEnabled(false);
    return config;
  }

  @Test
  void aSecondProcess_onTheSameDataDir_isRefused_whileTheFirstRuns(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Path envFile = dir.resolve("slack.env");
    Process child = startChild(data, envFile);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(envFile));
      // Another process (this JVM) opening the journal must find it locked. Before the fix the
      // first emulator dropped its own lock while reading the file, and both ran.
      assertThatThrownBy(() -> FileJournal.open(data))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another");
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  private static Process startChild(Path data, Path envFile) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            EmulatorMain.class.getName(),
            "--port",
            "0",
            "--rate-limits",
            "off",
            "--data-dir",
            data.toString(),
            "--env-file",
            envFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(data.resolveSibling("child.log").toFile())
        .start();
  }

  static Map<String, String> readEnv(Path file) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return env;
  }

  private static JsonNode createApp(Emulator slack, String name) throws Exception {
    return new AdminClient(slack).post("apps", "{\"name\":\"" + name + "\"}").json().get("app");
  }

  private static JsonNode channel(JsonNode workspace, String id) {
    for (JsonNode c : workspace.get("channels")) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no channel " + id + " in " + workspace);
  }
}
