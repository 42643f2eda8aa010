package io.slackmq.worker;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.Message;
import io.slackmq.emulator.Emulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An emulator with {@code apps} apps (app-1..app-n), a human alice and #ops, plus the calls a test
 * makes as alice. Workers are built against it with short leases.
 */
final class TestSlack implements AutoCloseable {
  final Emulator emulator;
  final Map<String, String> env;
  final String channel;
  private final Slack sdk;
  final MethodsClient alice;

  private TestSlack(Emulator emulator) {
    this.emulator = emulator;
    this.env = emulator.env();
    this.channel = env.get("SLACK_CHANNEL_OPS");
    SlackConfig c = new SlackConfig();
    c.setMethodsEndpointUrlPrefix(emulator.apiUrl());
    c.setStatsEnabled(false);
    this.sdk = Slack.getInstance(c);
    this.alice = sdk.methods(env.get("SLACK_USER_TOKEN_ALICE"));
  }

  static TestSlack start(int apps, Path dir) {
    return start(apps, dir, Emulator.builder().noRateLimits());
  }

  static TestSlack start(int apps, Path dir, Emulator.Builder builder) {
    String appList =
        IntStream.rangeClosed(1, apps)
            .mapToObj(i -> "{\"name\":\"app-" + i + "\"}")
            .collect(Collectors.joining(","));
    String members =
        IntStream.rangeClosed(1, apps)
            .mapToObj(i -> "\"app-" + i + "\"")
            .collect(Collectors.joining(","));
    String json =
        "{\"teams\":[{\"name\":\"SlackMQ Test\",\"apps\":["
            + appList
            + "],"
            + "\"users\":[{\"name\":\"alice\"}],\"channels\":[{\"name\":\"ops\",\"members\":["
            + "\"alice\","
            + members
            + "]}]}]}";
    try {
      Path file = Files.writeString(dir.resolve("workspace-" + System.nanoTime() + ".json"), json);
      return new TestSlack(builder.config(file).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String botToken(int app) {
    return env.get("SLACK_BOT_TOKEN_APP_" + app);
  }

  String appToken(int app) {
    return env.get("SLACK_APP_TOKEN_APP_" + app);
  }

  String signingSecret(int app) {
    return env.get("SLACK_SIGNING_SECRET_APP_" + app);
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

  /** Posts {@code text} in #ops as alice; returns its ts. */
  String post(String text) {
    try {
      var r = alice.chatPostMessage(q -> q.channel(channel).text(text));
      if (!r.isOk()) {
        throw new IllegalStateException("chat.postMessage: " + r.getError());
      }
      return r.getTs();
    } catch (IOException | com.slack.api.methods.SlackApiException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Alice reacts to a message. */
  void react(String ts, String emoji) {
    try {
      var r = alice.reactionsAdd(q -> q.channel(channel).timestamp(ts).name(emoji));
      if (!r.isOk()) {
        throw new IllegalStateException("reactions.add: " + r.getError());
      }
    } catch (IOException | com.slack.api.methods.SlackApiException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The message's thread: parent first, then replies. */
  List<Message> thread(String ts) {
    try {
      var r = alice.conversationsReplies(q -> q.channel(channel).ts(ts).limit(1000));
      if (!r.isOk()) {
        throw new IllegalStateException("conversations.replies: " + r.getError());
      }
      return r.getMessages();
    } catch (IOException | com.slack.api.methods.SlackApiException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Top-level messages of #ops, oldest first. */
  List<Message> history() {
    List<Message> out = new ArrayList<>();
    try {
      String cursor = null;
      do {
        String c = cursor;
        var r = alice.conversationsHistory(q -> q.channel(channel).limit(200).cursor(c));
        if (!r.isOk()) {
          throw new IllegalStateException("conversations.history: " + r.getError());
        }
        out.addAll(r.getMessages());
        cursor = r.isHasMore() ? r.getResponseMetadata().getNextCursor() : null;
      } while (cursor != null && !cursor.isEmpty());
    } catch (IOException | com.slack.api.methods.SlackApiException e) {
      throw new IllegalStateException(e);
    }
    out.sort(
        (a, b) ->
            Long.compare(io.slackmq.core.Ts.parse(a.getTs()), io.slackmq.core.Ts.parse(b.getTs())));
    return out;
  }

  @Override
  public void close() {
    try {
      sdk.close();
    } catch (Exception ignored) {
      // test teardown
    }
    emulator.close();
  }
}
