package io.slackmq.core;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import io.slackmq.emulator.Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An emulator with the default workspace, and helpers to post tasks and build clients. */
final class Fixture implements AutoCloseable {
  final Emulator emulator;
  final Map<String, String> env;
  final String channel;

  Fixture(Emulator emulator) {
    this.emulator = emulator;
    this.env = emulator.env();
    this.channel = env.get("SLACK_CHANNEL");
  }

  static Fixture start() {
    return new Fixture(Emulator.builder().noRateLimits().start());
  }

  String botA() {
    return env.get("SLACK_BOT_TOKEN_SLACKMQ_A");
  }

  String botB() {
    return env.get("SLACK_BOT_TOKEN_SLACKMQ_B");
  }

  String alice() {
    return env.get("SLACK_USER_TOKEN_ALICE");
  }

  /** The SDK as a test's own client (for setup and out-of-band checks). */
  MethodsClient sdk(String token) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(emulator.apiUrl());
    config.setStatsEnabled(false);
    return Slack.getInstance(config).methods(token);
  }

  /** Posts {@code n} task messages as alice; returns their ts. */
  List<String> postTasks(int n) throws Exception {
    MethodsClient alice = sdk(alice());
    List<String> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      var r = alice.chatPostMessage(q -> q.channel(channel).text("task " + k));
      if (!r.isOk()) {
        throw new IllegalStateException("post failed: " + r.getError());
      }
      ts.add(r.getTs());
    }
    return ts;
  }

  LockClient.Builder client(String token, Strategy strategy, Duration ttl) {
    return LockClient.builder()
        .token(token)
        .apiUrl(emulator.apiUrl())
        .strategy(strategy)
        .ttl(ttl)
        .pacing(false)
        .maxRetries(3);
  }

  @Override
  public void close() {
    emulator.close();
  }
}
