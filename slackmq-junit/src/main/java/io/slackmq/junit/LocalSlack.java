package io.slackmq.junit;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.Message;
import com.slack.api.socket_mode.SocketModeClient;
import io.slackmq.emulator.Emulator;
import io.slackmq.emulator.Faults;
import io.slackmq.emulator.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A local Slack for tests: the emulator started in-process on a free loopback port, the official
 * SDK pointed at it, what a person does there (post, react, read), and every Web API call it
 * answered, for assertions. In a JUnit 5 test, {@link LocalSlackTest @LocalSlackTest} or {@link
 * LocalSlackExtension} starts and resets it and injects it as a parameter; elsewhere it is an
 * {@link AutoCloseable}:
 *
 * <pre>{@code
 * try (LocalSlack slack = LocalSlack.start()) {
 *   String ts = slack.post("deploy web-7");                 // as alice, in #ops
 *   // ... a Bolt app, LockClient or SlackMQWorker on slack.apiUrl() and slack.botToken("slackmq-a")
 *   RecordedRequest reply = slack.takeRequest("chat.postMessage");
 *   assertThat(reply.param("thread_ts")).isEqualTo(ts);
 * }
 * }</pre>
 *
 * <p>Apps, people and channels are named as in the workspace ({@code "slackmq-a"}, {@code "alice"},
 * {@code "ops"}); an unknown name throws {@link IllegalArgumentException} listing the known ones. A
 * person's call that Slack refuses throws {@link IllegalStateException} with Slack's error code.
 * Tokens are the emulator's, and appear in no message.
 */
public sealed class LocalSlack implements AutoCloseable permits LocalSlackExtension {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(10);

  /** What exists while it runs. */
  private record Running(
      Emulator emulator,
      Slack sdk,
      Directory dir,
      Map<String, String> env,
      int fixedPort,
      Map<String, Person> people) {}

  private volatile Running running;

  LocalSlack() {}

  /**
   * Options for {@link Builder#start()}; the defaults are those of {@link #start()}. (Named so as
   * not to clash with {@link LocalSlackExtension#builder()}, the same options for an extension.)
   */
  public static Builder configure() {
    return new Builder();
  }

  /** The default workspace (slackmq-a, slackmq-b, alice, #ops), no rate limits, real time. */
  public static LocalSlack start() {
    return configure().start();
  }

  /** An emulator configured by hand (anything {@link LocalSlackOptions} does not cover). */
  public static LocalSlack start(Emulator.Builder emulator) {
    LocalSlack slack = new LocalSlack();
    slack.open(emulator, 0, "LocalSlack.start");
    return slack;
  }

  /** Starts the emulator; {@code owner} names who holds a fixed port, for the next one's error. */
  final void open(Emulator.Builder builder, int fixedPort, String owner) {
    Emulator emulator = FixedPorts.start(builder, fixedPort, owner);
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(emulator.apiUrl());
    config.setStatsEnabled(false); // the SDK's stats would add a hidden auth.test per token
    Map<String, String> env = emulator.env();
    running =
        new Running(
            emulator,
            Slack.getInstance(config),
            Directory.read(emulator.apiUrl(), env),
            env,
            fixedPort,
            new ConcurrentHashMap<>());
  }

  final boolean isRunning() {
    return running != null;
  }

  private Running running() {
    Running r = running;
    if (r == null) {
      throw new IllegalStateException(
          "this local Slack is not running: a LocalSlackExtension in an instance field runs only"
              + " during each test (make the field static to use it in @BeforeAll), and a closed"
              + " LocalSlack stays closed");
    }
    return r;
  }

  // ---- where it is, and who is there ------------------------------------------------------

  /** The running emulator, for what this class does not wrap. */
  public Emulator emulator() {
    return running().emulator();
  }

  /** The Web API prefix ({@code http://127.0.0.1:<port>/api/}), for clients' {@code apiUrl}. */
  public String apiUrl() {
    return emulator().apiUrl();
  }

  /** The port it listens on (a free one unless a fixed one was asked for). */
  public int port() {
    return emulator().port();
  }

  /** Every token and id of the workspace as environment variables ({@link Emulator#env()}). */
  public Map<String, String> env() {
    return running().env();
  }

  /** The names of the workspace's apps, people and channels, in the order they were created. */
  public List<String> apps() {
    return running().dir().apps();
  }

  /** The names of the workspace's people (humans, with user tokens). */
  public List<String> people() {
    return running().dir().people();
  }

  /** The names of the workspace's channels. */
  public List<String> channels() {
    return running().dir().channels();
  }

  /** The id of the first channel ({@code #ops} by default): where {@link #post} posts. */
  public String channel() {
    return env().get("SLACK_CHANNEL");
  }

  /** The id of channel {@code name} ({@code "ops"} or {@code "#ops"}). */
  public String channel(String name) {
    return running().dir().channelId(name);
  }

  /** The bot token ({@code xoxb-}) of {@code app}. */
  public String botToken(String app) {
    return running().dir().ofApp("SLACK_BOT_TOKEN_", app);
  }

  /** The app-level token ({@code xapp-}, for Socket Mode) of {@code app}. */
  public String appToken(String app) {
    return running().dir().ofApp("SLACK_APP_TOKEN_", app);
  }

  /** The signing secret (Events API) of {@code app}. */
  public String signingSecret(String app) {
    return running().dir().ofApp("SLACK_SIGNING_SECRET_", app);
  }

  /** The user id of {@code app}'s bot user ({@code U...}), as events name it. */
  public String botUserId(String app) {
    return running().dir().ofApp("SLACK_BOT_USER_", app);
  }

  /** The user token ({@code xoxp-}) of {@code person}. */
  public String userToken(String person) {
    return running().dir().userToken(person);
  }

  /** The user id of {@code person} ({@code U...}). */
  public String userId(String person) {
    return running().dir().userId(person);
  }

  // ---- SDK clients --------------------------------------------------------------------------

  /**
   * The official SDK pointed at this Slack: for Bolt ({@code AppConfig.builder().slack(sdk())}) and
   * Socket Mode. Its stats (a hidden {@code auth.test} per token) are off.
   */
  public Slack sdk() {
    return running().sdk();
  }

  /** The SDK's Web API client for {@code token}, pointed at this Slack. */
  public MethodsClient sdk(String token) {
    return sdk().methods(token);
  }

  /** The Web API client of {@code app}'s bot. */
  public MethodsClient bot(String app) {
    return sdk(botToken(app));
  }

  /** The Web API client of {@code person}. */
  public MethodsClient user(String person) {
    return sdk(userToken(person));
  }

  // ---- a person's doings, in the first channel ----------------------------------------------

  /**
   * The first person (alice by default) posts {@code text} in {@link #channel()}; returns its ts.
   */
  public String post(String text) {
    return postAs(running().dir().firstPerson(), text);
  }

  /** {@code person} posts {@code text} in {@link #channel()}; returns the message's ts. */
  public String postAs(String person, String text) {
    return person(person).post(channel(), text);
  }

  /** {@code person} replies {@code text} in the thread of message {@code ts}; returns its ts. */
  public String replyAs(String person, String ts, String text) {
    return person(person).reply(channel(), ts, text);
  }

  /** The first person reacts to message {@code ts} with {@code emoji} (a name, no colons). */
  public void react(String ts, String emoji) {
    reactAs(running().dir().firstPerson(), ts, emoji);
  }

  /** {@code person} reacts to message {@code ts} of {@link #channel()} with {@code emoji}. */
  public void reactAs(String person, String ts, String emoji) {
    person(person).react(channel(), ts, emoji);
  }

  /** A thread of {@link #channel()} as the first person sees it: the message, then its replies. */
  public List<Message> thread(String ts) {
    return person(running().dir().firstPerson()).thread(channel(), ts);
  }

  /** The top-level messages of {@link #channel()}, oldest first. */
  public List<Message> history() {
    return person(running().dir().firstPerson()).history(channel());
  }

  /** The texts of the replies in the thread of {@code ts} that start with {@code prefix}. */
  public List<String> replies(String ts, String prefix) {
    return thread(ts).stream()
        .skip(1)
        .map(Message::getText)
        .filter(t -> t != null && t.startsWith(prefix))
        .toList();
  }

  private Person person(String name) {
    Running r = running();
    String token = r.dir().userToken(name); // an unknown name fails here, with the known ones
    return r.people().computeIfAbsent(name, n -> new Person(n, r.sdk().methods(token)));
  }

  // ---- faults, Socket Mode, recorded requests -----------------------------------------------

  /** The fault-injection handle; what a test sets here is undone by the next reset. */
  public Faults faults() {
    return emulator().faults();
  }

  /** The live Socket Mode connections of {@code app}. */
  public int socketModeConnections(String app) {
    running().dir().ofApp("SLACK_APP_ID_", app);
    return emulator().socketModeConnections(app);
  }

  /**
   * Waits up to 10 s until {@code app} has a live Socket Mode connection: events posted before it
   * connects are delivered only on Slack's retries, so a test posts after this.
   *
   * @throws AssertionError when none connected in time
   */
  public void awaitSocketMode(String app) {
    awaitSocketMode(app, DEFAULT_TIMEOUT);
  }

  /** {@link #awaitSocketMode(String)} with another timeout. */
  public void awaitSocketMode(String app, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (socketModeConnections(app) == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "app "
                + app
                + " has no Socket Mode connection after "
                + RequestReport.human(timeout)
                + ": start its client (Bolt's SocketModeApp, or socketModeClient(\""
                + app
                + "\").connect()) with this Slack's sdk() and appToken(\""
                + app
                + "\")");
      }
      LockSupport.parkNanos(POLL.toNanos()); // the emulator has no connection callback to wait on
    }
  }

  /**
   * A Socket Mode client of {@code app} from the SDK, not yet connected ({@code connect()} it). It
   * needs a WebSocket backend on the classpath ({@code tyrus-standalone-client}).
   */
  public SocketModeClient socketModeClient(String app) throws IOException {
    return sdk().socketMode(appToken(app));
  }

  /**
   * Every Web API call answered since the start or the last reset (before each test, unless turned
   * off), oldest first; a call is in the list before its client has the answer.
   */
  public List<RecordedRequest> requests() {
    return emulator().requests();
  }

  /** The calls of {@code method} ({@code "chat.postMessage"}), oldest first. */
  public List<RecordedRequest> requests(String method) {
    return requests().stream().filter(r -> r.method().equals(method)).toList();
  }

  /** {@link #takeRequest(String, Duration)} with a 10 s timeout. */
  public RecordedRequest takeRequest(String method) {
    return takeRequest(method, DEFAULT_TIMEOUT);
  }

  /**
   * The oldest call of {@code method} not taken yet, waiting up to {@code timeout} for it, like
   * MockWebServer's {@code takeRequest}: each call is taken once, in the order answered.
   *
   * @throws AssertionError when none came within {@code timeout}, naming the calls that did
   */
  public RecordedRequest takeRequest(String method, Duration timeout) {
    try {
      RecordedRequest r = emulator().takeRequest(method, timeout);
      if (r == null) {
        throw new AssertionError(RequestReport.nothingWithin(method, timeout, requests()));
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a call of " + method, e);
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /**
   * Back to a test's starting state ({@link Emulator#reset()}): messages, reactions, pins, faults
   * beyond the configured ones, rate-limit buckets, pending events and recorded requests are gone;
   * apps, people, channels, tokens and ids stay.
   */
  public void reset() {
    emulator().reset();
  }

  /** Stops the emulator and the SDK's connections; a second call does nothing. */
  @Override
  public void close() {
    Running r = running;
    running = null;
    if (r == null) {
      return;
    }
    try {
      r.sdk().close();
    } catch (Exception e) {
      // only the SDK's idle HTTP connections: nothing to report at teardown
    }
    r.emulator().close();
    FixedPorts.release(r.fixedPort());
  }

  /** {@link LocalSlack#configure()}: options, then {@link #start()}. */
  public static final class Builder extends LocalSlackOptions<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Starts a local Slack with these options; {@link LocalSlack#close()} stops it. */
    public LocalSlack start() {
      LocalSlack slack = new LocalSlack();
      slack.open(emulator(), port(), "LocalSlack.configure()");
      return slack;
    }
  }
}
