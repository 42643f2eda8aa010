package io.slackmq.worker;

import com.slack.api.model.Message;
import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The shared local Slack ({@link LocalSlack}) with {@code apps} apps (app-1..app-n), alice and
 * #ops, plus workers built against it with short leases.
 */
final class TestSlack implements AutoCloseable {
  final LocalSlack local;
  final Emulator emulator;
  final Map<String, String> env;
  final String channel;

  private TestSlack(LocalSlack local) {
    this.local = local;
    this.emulator = local.emulator();
    this.env = local.env();
    this.channel = local.channel();
  }

  static TestSlack start(int apps) {
    return start(apps, o -> o);
  }

  /** A local Slack without rate limits, with {@code options} (faults, time scale) added. */
  static TestSlack start(int apps, UnaryOperator<LocalSlack.Builder> options) {
    String[] names =
        IntStream.rangeClosed(1, apps).mapToObj(i -> "app-" + i).toArray(String[]::new);
    return new TestSlack(options.apply(LocalSlack.configure().apps(names)).start());
  }

  String botToken(int app) {
    return local.botToken("app-" + app);
  }

  String appToken(int app) {
    return local.appToken("app-" + app);
  }

  String signingSecret(int app) {
    return local.signingSecret("app-" + app);
  }

  /** A worker of app {@code app} serving #ops, with 2 s leases and a quick sweeper. */
  WorkerBuilder worker(int app, String id) {
    return SlackMQWorker.builder()
        .apiUrl(emulator.apiUrl())
        .botToken(botToken(app))
        .channels(channel)
        .workerId(id)
        .leaseTtl(Duration.ofSeconds(2))
        .sweepInterval(Duration.ofMillis(500))
        .sweepGrace(Duration.ofSeconds(1))
        .retryDelay(Duration.ofMillis(200))
        .pollInterval(Duration.ofMillis(200))
        .stopDeadline(Duration.ofSeconds(5))
        .pacing(false)
        .timeScale(60);
  }

  String post(String text) {
    return local.post(text);
  }

  void react(String ts, String emoji) {
    local.react(ts, emoji);
  }

  List<Message> thread(String ts) {
    return local.thread(ts);
  }

  List<Message> history() {
    return local.history();
  }

  @Override
  public void close() {
    local.close();
  }
}
