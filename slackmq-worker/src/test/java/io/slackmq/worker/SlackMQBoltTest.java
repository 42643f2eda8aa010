package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import io.slackmq.core.LockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bolt's SocketModeApp with SlackMQBolt.exactlyOnce, on the emulator. */
class SlackMQBoltTest {
  @TempDir Path dir;
  private TestSlack slack;
  private final List<SocketModeApp> apps = new ArrayList<>();
  private final List<LockClient> locks = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (SocketModeApp a : apps) {
      a.close();
    }
    locks.forEach(LockClient::close);
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void exactlyOnce_twoBoltAppsAndDuplicatedEvents_eachMessageHandledOnce() throws Exception {
    slack = TestSlack.start(2, o -> o.faults(f -> f.duplicateEvents(0.5)));
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(slack.emulator.apiUrl());
    config.setStatsEnabled(false);
    Map<String, List<String>> handled = new ConcurrentHashMap<>();
    for (int i = 1; i <= 2; i++) {
      String name = "bolt" + i;
      App app =
          new App(
              AppConfig.builder()
                  .slack(Slack.getInstance(config))
                  .singleTeamBotToken(slack.botToken(i))
                  .authTestCacheExpirationMillis(-1)
                  .build());
      LockClient lock =
          LockClient.builder()
              .apiUrl(slack.emulator.apiUrl())
              .token(slack.botToken(i))
              .workerId(name)
              .ttl(Duration.ofSeconds(5))
              .pacing(false)
              .readLagBound(Duration.ZERO) // the local Slack without read lag is linearizable
              .build();
      locks.add(lock);
      // the one line that makes an existing Bolt listener exactly-once:
      app.message(
          Pattern.compile("^hostname$"),
          SlackMQBolt.exactlyOnce(
              lock,
              (p, ctx) -> {
                handled
                    .computeIfAbsent(p.getEvent().getTs(), k -> new CopyOnWriteArrayList<>())
                    .add(name);
                ctx.say("I am running on " + name);
                return ctx.ack();
              }));
      SocketModeApp sm = new SocketModeApp(slack.appToken(i), app, SocketModeClient.Backend.Tyrus);
      apps.add(sm);
      sm.startAsync();
    }
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      posted.add(slack.post("hostname"));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.keySet().containsAll(posted));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> handled.values().stream().allMatch(l -> l.size() == 1));
    assertThat(handled).hasSize(20);
  }
}
