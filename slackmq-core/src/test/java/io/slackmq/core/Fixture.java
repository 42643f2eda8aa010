package io.slackmq.core;

import com.slack.api.methods.MethodsClient;
import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What core's tests add to a {@link LocalSlack}: the default workspace's tokens, tasks and lock
 * clients. Wraps an injected one ({@code new Fixture(slack)} under {@code @LocalSlackTest}) or
 * starts its own ({@link #start()}, closed by {@link #close()}).
 */
final class Fixture implements AutoCloseable {
  final LocalSlack local;
  final Emulator emulator;
  final Map<String, String> env;
  final String channel;

  /** Core's helpers over a local Slack that someone else runs (e.g. {@code @LocalSlackTest}). */
  Fixture(LocalSlack local) {
    this.local = local;
    this.emulator = local.emulator();
    this.env = local.env();
    this.channel = local.channel();
  }

  /** The default workspace without rate limits. */
  static Fixture start() {
    return new Fixture(LocalSlack.start());
  }

  /** A local Slack with {@code builder}'s options (workspace file, rate limits, faults). */
  static Fixture start(Emulator.Builder builder) {
    return new Fixture(LocalSlack.start(builder));
  }

  String botA() {
    return local.botToken("slackmq-a");
  }

  String botB() {
    return local.botToken("slackmq-b");
  }

  String alice() {
    return local.userToken("alice");
  }

  /** The SDK as a test's own client (for setup and out-of-band checks). */
  MethodsClient sdk(String token) {
    return local.sdk(token);
  }

  /** Posts {@code n} task messages as alice; returns their ts. */
  List<String> postTasks(int n) {
    List<String> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ts.add(local.post("task " + i));
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
        .maxRetries(3)
        // The local Slack without its read-lag fault is linearizable: no lag to wait out. Tests
        // that turn read lag on set the bound to the lag they inject.
        .readLagBound(Duration.ZERO);
  }

  @Override
  public void close() {
    local.close();
  }
}
