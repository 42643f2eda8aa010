package io.slackmq.examples;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import io.slackmq.emulator.Emulator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The embedded local Slack the examples run on when no workspace is configured: the emulator's
 * default workspace (apps slackmq-a and slackmq-b, a human alice, channel #ops) with Slack's rate
 * limits, 60 times faster; plus what alice does in it (post, react, read a thread).
 */
final class LocalSlack implements AutoCloseable {
  /** An emulated minute lasts one real second: rate limits and Retry-After shrink with it. */
  static final double TIME_SCALE = 60;

  private final Emulator emulator;
  private final Map<String, String> env;
  private final Slack sdk;
  private final MethodsClient alice;
  final String channel;

  private LocalSlack(Emulator emulator) {
    this.emulator = emulator;
    this.env = emulator.env();
    this.channel = env.get("SLACK_CHANNEL");
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(emulator.apiUrl());
    config.setStatsEnabled(false);
    this.sdk = Slack.getInstance(config);
    this.alice = sdk.methods(env.get("SLACK_USER_TOKEN_ALICE"));
  }

  /** Starts a local Slack on a free loopback port. */
  static LocalSlack start() {
    return new LocalSlack(Emulator.builder().timeScale(TIME_SCALE).start());
  }

  /**
   * How a worker of app {@code app} connects ({@code "SLACKMQ_A"} or {@code "SLACKMQ_B"}); it
   * sweeps every 300 ms, which is 18 emulated seconds.
   */
  SlackEnv app(String app) {
    return new SlackEnv(
        emulator.apiUrl(),
        env.get("SLACK_BOT_TOKEN_" + app),
        env.get("SLACK_APP_TOKEN_" + app),
        channel,
        TIME_SCALE,
        Duration.ofMillis(300));
  }

  /** alice posts {@code text} in #ops; returns the message's ts. */
  String post(String text) {
    return call("chat.postMessage", () -> alice.chatPostMessage(r -> r.channel(channel).text(text)))
        .getTs();
  }

  /** alice reacts to a message with {@code emoji} (a name without colons). */
  void react(String ts, String emoji) {
    call(
        "reactions.add",
        () -> alice.reactionsAdd(r -> r.channel(channel).timestamp(ts).name(emoji)));
  }

  /** What alice sees of a thread: the message, then its replies, oldest first. */
  List<Message> thread(String ts) {
    ConversationsRepliesResponse r =
        call(
            "conversations.replies",
            () -> alice.conversationsReplies(q -> q.channel(channel).ts(ts).limit(200)));
    return r.getMessages();
  }

  /** The replies in a thread whose text starts with {@code prefix}. */
  List<String> replies(String ts, String prefix) {
    return thread(ts).stream()
        .skip(1)
        .map(Message::getText)
        .filter(t -> t.startsWith(prefix))
        .toList();
  }

  private interface Call<T extends com.slack.api.methods.SlackApiTextResponse> {
    T run() throws IOException, SlackApiException;
  }

  private static <T extends com.slack.api.methods.SlackApiTextResponse> T call(
      String method, Call<T> call) {
    try {
      T response = call.run();
      if (!response.isOk()) {
        throw new IllegalStateException(method + " failed: " + response.getError());
      }
      return response;
    } catch (IOException | SlackApiException e) {
      throw new IllegalStateException(method + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      sdk.close();
    } catch (Exception e) {
      // only the SDK's idle HTTP connections: nothing to report at exit
    }
    emulator.close();
  }
}
