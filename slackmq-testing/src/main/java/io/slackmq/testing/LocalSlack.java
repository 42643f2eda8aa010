package io.slackmq.testing;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.model.ResponseMetadata;
import io.slackmq.emulator.Emulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A local Slack for tests and examples: the emulator started in-process on a free loopback port,
 * the official SDK pointed at it, and what the person alice does there (post, react, read). The
 * workspace is the emulator's default one (apps {@code slackmq-a} and {@code slackmq-b}, alice,
 * {@code #ops}) or, with {@link #withApps}, apps {@code app-1..app-n}, alice and {@code #ops}.
 *
 * <pre>{@code
 * try (LocalSlack slack = LocalSlack.start()) {
 *   String ts = slack.post("deploy web-7");
 *   // ... a LockClient or SlackMQWorker with slack.apiUrl() and slack.botToken("slackmq-a")
 *   assertThat(slack.thread(ts)).isNotEmpty();
 * }
 * }</pre>
 *
 * <p>Every call as alice throws {@link IllegalStateException} with Slack's error code if Slack
 * refuses it, so a test fails where the setup went wrong. Tokens are the emulator's, printed
 * nowhere.
 */
public final class LocalSlack implements AutoCloseable {
  private final Emulator emulator;
  private final Map<String, String> env;
  private final String channel;
  private final Slack sdk;
  private final MethodsClient alice;

  private LocalSlack(Emulator emulator, String channelKey) {
    this.emulator = emulator;
    this.env = emulator.env();
    this.channel = env.get(channelKey);
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(emulator.apiUrl());
    config.setStatsEnabled(false); // the SDK's stats would add a hidden auth.test per token
    this.sdk = Slack.getInstance(config);
    this.alice = sdk.methods(env.get("SLACK_USER_TOKEN_ALICE"));
  }

  /** The default workspace without rate limits (tests count calls, they do not wait for them). */
  public static LocalSlack start() {
    return start(Emulator.builder().noRateLimits());
  }

  /** The default workspace, with {@code builder}'s options (rate limits, time scale, faults). */
  public static LocalSlack start(Emulator.Builder builder) {
    return new LocalSlack(builder.start(), "SLACK_CHANNEL");
  }

  /**
   * A workspace of {@code apps} apps named {@code app-1..app-n}, alice, and {@code #ops} with all
   * of them as members; the emulator takes {@code builder}'s other options.
   */
  public static LocalSlack withApps(int apps, Emulator.Builder builder) {
    String names =
        IntStream.rangeClosed(1, apps)
            .mapToObj(i -> "\"app-" + i + "\"")
            .collect(Collectors.joining(","));
    String json =
        "{\"teams\":[{\"name\":\"SlackMQ Test\",\"apps\":["
            + IntStream.rangeClosed(1, apps)
                .mapToObj(i -> "{\"name\":\"app-" + i + "\"}")
                .collect(Collectors.joining(","))
            + "],\"users\":[{\"name\":\"alice\"}],\"channels\":[{\"name\":\"ops\",\"members\":["
            + "\"alice\","
            + names
            + "]}]}]}";
    try {
      Path file = Files.createTempFile("slackmq-workspace-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, json);
      return new LocalSlack(builder.config(file).start(), "SLACK_CHANNEL_OPS");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The running emulator (faults, inject, env). */
  public Emulator emulator() {
    return emulator;
  }

  /** The Web API prefix, for {@code apiUrl(...)} of clients and workers. */
  public String apiUrl() {
    return emulator.apiUrl();
  }

  /** The channel id of {@code #ops}. */
  public String channel() {
    return channel;
  }

  /** Every token and id of the workspace, as the emulator exports them. */
  public Map<String, String> env() {
    return env;
  }

  /** The bot token of {@code app} ({@code "slackmq-a"}, {@code "app-2"}). */
  public String botToken(String app) {
    return required("SLACK_BOT_TOKEN_" + key(app));
  }

  /** The app-level (Socket Mode) token of {@code app}. */
  public String appToken(String app) {
    return required("SLACK_APP_TOKEN_" + key(app));
  }

  /** The signing secret (Events API) of {@code app}. */
  public String signingSecret(String app) {
    return required("SLACK_SIGNING_SECRET_" + key(app));
  }

  /** The user token of {@code person} ({@code "alice"}). */
  public String userToken(String person) {
    return required("SLACK_USER_TOKEN_" + key(person));
  }

  /** The SDK's Web API client for {@code token}, pointed at this Slack. */
  public MethodsClient sdk(String token) {
    return sdk.methods(token);
  }

  /** alice posts {@code text} in #ops; returns the message's ts. */
  public String post(String text) {
    return call("chat.postMessage", () -> alice.chatPostMessage(r -> r.channel(channel).text(text)))
        .getTs();
  }

  /** alice reacts to a message of #ops with {@code emoji} (a name without colons). */
  public void react(String ts, String emoji) {
    call(
        "reactions.add",
        () -> alice.reactionsAdd(r -> r.channel(channel).timestamp(ts).name(emoji)));
  }

  /** What alice sees of a thread in #ops: the message, then its replies, oldest first. */
  public List<Message> thread(String ts) {
    List<Message> out = new ArrayList<>();
    for (List<Message> page :
        pages(
            "conversations.replies",
            c -> alice.conversationsReplies(q -> q.channel(channel).ts(ts).limit(200).cursor(c)),
            ConversationsRepliesResponse::getMessages,
            ConversationsRepliesResponse::getResponseMetadata)) {
      // Every page starts with the parent: keep it once.
      out.addAll(out.isEmpty() ? page : page.subList(1, page.size()));
    }
    return out;
  }

  /** The top-level messages of #ops, oldest first. */
  public List<Message> history() {
    List<Message> out = new ArrayList<>();
    pages(
            "conversations.history",
            c -> alice.conversationsHistory(q -> q.channel(channel).limit(200).cursor(c)),
            ConversationsHistoryResponse::getMessages,
            ConversationsHistoryResponse::getResponseMetadata)
        .forEach(out::addAll);
    out.sort(Comparator.comparing(m -> new BigDecimal(m.getTs())));
    return out;
  }

  /** One page of a paged read, from its cursor. */
  private interface PagedRead<T extends SlackApiTextResponse> {
    T read(String cursor) throws IOException, SlackApiException;
  }

  /** Every page of a read (cursor pagination: until the next cursor is empty). */
  private static <T extends SlackApiTextResponse> List<List<Message>> pages(
      String method,
      PagedRead<T> read,
      Function<T, List<Message>> messages,
      Function<T, ResponseMetadata> meta) {
    List<List<Message>> out = new ArrayList<>();
    String cursor = null;
    do {
      String c = cursor;
      T r = call(method, () -> read.read(c));
      out.add(messages.apply(r));
      cursor = meta.apply(r) == null ? null : meta.apply(r).getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return out;
  }

  /** The texts of the replies in a thread that start with {@code prefix}. */
  public List<String> replies(String ts, String prefix) {
    return thread(ts).stream()
        .skip(1)
        .map(Message::getText)
        .filter(t -> t != null && t.startsWith(prefix))
        .toList();
  }

  @Override
  public void close() {
    try {
      sdk.close();
    } catch (Exception e) {
      // only the SDK's idle HTTP connections: nothing to report at teardown
    }
    emulator.close();
  }

  private String required(String name) {
    String v = env.get(name);
    if (v == null) {
      throw new IllegalArgumentException("this workspace has no " + name);
    }
    return v;
  }

  private static String key(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private interface Call<T extends SlackApiTextResponse> {
    T run() throws IOException, SlackApiException;
  }

  private static <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
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
}
