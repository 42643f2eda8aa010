package io.slackmq.emulator;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A local Slack: the Web API under {@code /api/}, Socket Mode, the Events API, Slack's rate limits,
 * fault injection and an admin API under {@code /_emulator/}. Point the official SDK at {@link
 * #apiUrl()} with {@code SlackConfig.setMethodsEndpointUrlPrefix}.
 *
 * <pre>{@code
 * try (Emulator slack = Emulator.builder().start()) {
 *   Map<String, String> env = slack.env(); // SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_CHANNEL, ...
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {
  private final Javalin http;
  private final Workspace workspace;
  private final RateLimiter limiter;
  private final Stats stats;
  private final Journal journal;
  private final String host;
  private final String adminToken;
  private final boolean restored;
  private final Faults faults;
  private final Realtime realtime;
  private final RequestLog requests = new RequestLog();
  private final Builder built;

  private Emulator(Builder b) {
    this.built = b.copy();
    EmulatorClock clock = new EmulatorClock(b.timeScale);
    this.workspace = new Workspace(clock);
    this.limiter = new RateLimiter(clock, b.rateLimits, b.customLimits);
    this.stats = new Stats();
    this.journal = b.dataDir == null ? Journal.NONE : FileJournal.open(b.dataDir);
    this.host = b.host;
    this.adminToken = AdminGuard.beyondLoopback(b.host) ? AdminGuard.newToken() : null;
    this.faults = new Faults(b.seed, b.timeScale);
    b.faultSetup.forEach(setup -> setup.accept(faults));
    workspace.raceGate(faults.raceGate());
    workspace.consistency(faults.consistency());
    try {
      // A data directory with state wins over the config: replay it, provision nothing.
      List<Mutation> recovered = journal.recovered();
      for (int i = 0; i < recovered.size(); i++) {
        try {
          workspace.replay(recovered.get(i));
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              "journal "
                  + b.dataDir.resolve(FileJournal.FILE_NAME)
                  + ", line "
                  + (i + 1)
                  + " ("
                  + recovered.get(i).getClass().getSimpleName()
                  + "): cannot be replayed: "
                  + e.getMessage()
                  + ". The line was not written by this emulator; move the data directory aside"
                  + " to start afresh.",
              e);
        }
      }
      workspace.journal(journal);
      this.restored = !recovered.isEmpty();
      Provisioner provisioner =
          new Provisioner(workspace, new Ids(b.seed, recovered.size(), workspace::taken));
      if (!restored) {
        provisioner.provision(b.spec);
      }
      this.realtime = new Realtime(workspace, faults, b.seed, () -> "ws://" + host + ":" + port());
      this.http = startHttp(b, provisioner);
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
  }

  private Javalin startHttp(Builder b, Provisioner provisioner) {

    Methods methods = new Methods();
    AuthMethods.register(methods);
    UsersMethods.register(methods);
    ChatMethods.register(methods);
    ConversationsMethods.register(methods);
    PinsMethods.register(methods);
    ReactionsMethods.register(methods);
    StarsMethods.register(methods);
    WebApi api = new WebApi(workspace, methods, limiter, stats, requests);
    api.interceptor(faults::beforeCall);
    realtime.register(methods);

    Javalin http =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.maxRequestSize = WebApi.MAX_BODY_BYTES * 2L;
            });
    http.before(AdminApi.PREFIX + "*", new AdminGuard(b.host, adminToken));
    api.routes(http);
    realtime.routes(http); // before the admin API's catch-all for unknown /_emulator/ paths
    new AdminApi(workspace, provisioner, limiter, stats).routes(http);
    http.start(b.host, b.port);
    return http;
  }

  /** The fault-injection handle: changes take effect at once (also under /_emulator/faults). */
  public Faults faults() {
    return faults;
  }

  /**
   * Posts {@code text} as {@code userId} into {@code channelId} straight through the workspace, as
   * if {@code chat.postMessage} had succeeded (events are delivered as usual), without an HTTP
   * round trip or a rate limit: for load generators and tests that need many messages.
   *
   * @return the message's ts
   * @throws IllegalArgumentException when the channel or user does not exist
   */
  public String inject(String channelId, String userId, String text) {
    return workspace.locked(
        () -> {
          Channel ch = workspace.channel(channelId);
          if (ch == null) {
            throw new IllegalArgumentException("no channel " + channelId);
          }
          if (workspace.user(userId) == null) {
            throw new IllegalArgumentException("no user " + userId);
          }
          long ts = workspace.nextTs(ch);
          workspace.commit(
              new Mutation.MessagePosted(ch.id, ts, userId, null, null, text, null, false, null));
          return Ts.format(ts);
        });
  }

  /**
   * Every Web API call answered since the start or the last {@link #reset()}, oldest first: the
   * newest {@value RequestLog#CAPACITY} at most. A call is recorded before its answer is sent.
   */
  public List<RecordedRequest> requests() {
    return requests.all();
  }

  /**
   * The oldest call of {@code method} that this method has not returned yet, waiting up to {@code
   * timeout} for one (like MockWebServer's {@code takeRequest}).
   *
   * @return the call, or null when none of {@code method} was answered within {@code timeout}
   */
  public RecordedRequest takeRequest(String method, Duration timeout) throws InterruptedException {
    return requests.take(Objects.requireNonNull(method, "method"), timeout);
  }

  /**
   * Back to the state a test starts from, keeping who is who: removes every message (with its
   * replies, pins, reactions, stars), sets the faults back to the builder's, refills the rate-limit
   * buckets under the builder's limits, forgets events not delivered yet, and empties the call
   * statistics and the request log. Teams, apps, users, channels, memberships, request URLs, tokens
   * and ids stay as they are, and so do open Socket Mode connections.
   */
  public void reset() {
    workspace.commit(new Mutation.ContentReset());
    realtime.delivery.forgetPending();
    synchronized (faults) {
      faults.clear();
      built.faultSetup.forEach(setup -> setup.accept(faults));
    }
    limiter.configure(built.rateLimits, built.customLimits);
    stats.reset();
    requests.clear();
  }

  /**
   * The live Socket Mode connections of {@code app} (its name or id): 0 until a client has
   * connected, so a test can wait for its client before it posts what the client must see.
   */
  public int socketModeConnections(String app) {
    return realtime.socketModeConnections(app);
  }

  /** Events that {@code appId}'s Socket Mode clients or request URL have acknowledged so far. */
  public long eventsAcked(String appId) {
    return realtime.delivery.toJson().path(appId).path("acked").asLong();
  }

  /** Socket Mode and event delivery, for tests in this package. */
  Realtime realtime() {
    return realtime;
  }

  /** The workspace, for tests in this package that commit mutations directly. */
  Workspace workspace() {
    return workspace;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the emulator listens on (the real one when started on port 0). */
  public int port() {
    return http.port();
  }

  /**
   * The Web API prefix, e.g. {@code http://127.0.0.1:41234/api/}, for {@code
   * setMethodsEndpointUrlPrefix}.
   */
  public String apiUrl() {
    return "http://" + host + ":" + port() + "/api/";
  }

  /**
   * How to reach this workspace, as environment variables: {@code SLACK_API_URL}; for the first app
   * {@code SLACK_BOT_TOKEN}, {@code SLACK_APP_TOKEN}, {@code SLACK_SIGNING_SECRET}; for every app
   * {@code SLACK_BOT_TOKEN_<NAME>} (and app token, signing secret, bot user id); for every human
   * {@code SLACK_USER_TOKEN_<NAME>}, and {@code SLACK_USER_TOKEN} for the first; for every channel
   * {@code SLACK_CHANNEL_<NAME>}, and {@code SLACK_CHANNEL} for the first. Contains secrets: print
   * it only where the user asked.
   */
  public Map<String, String> env() {
    return EnvFile.env(workspace, apiUrl(), limiter.timeScale());
  }

  /**
   * Whether this emulator resumed the state of its data directory (else it provisioned its config).
   */
  public boolean restored() {
    return restored;
  }

  /**
   * Writes {@link #env()} as {@code KEY=VALUE} lines, atomically (a reader sees the old file or the
   * whole new one) and readable by the owner only where the file system supports it.
   */
  public void writeEnvFile(Path file) throws IOException {
    EnvFile.write(file, env());
  }

  /** What a person needs to use this emulator: API URL, tokens, secrets, channel ids. */
  public String describe() {
    String env = EnvFile.describe(env(), restored);
    return adminToken == null
        ? env
        : env
            + "# WARNING: bound to "
            + host
            + ", reachable beyond this machine; its admin API (/_emulator/) needs"
            + " Authorization: Bearer with this token\n"
            + "SLACK_EMULATOR_ADMIN_TOKEN="
            + adminToken
            + "\n";
  }

  /**
   * The admin API's token when the emulator is bound beyond loopback (its admin API then needs
   * {@code Authorization: Bearer <token>}); null on loopback, where the admin API needs none.
   */
  public String adminToken() {
    return adminToken;
  }

  /**
   * Sets an app's Events API request URL (null or blank: none) after Slack's url_verification
   * handshake: the URL must answer the challenge with a 2xx. Blocks up to 3 s.
   *
   * @param app the app's name or id
   * @throws IllegalArgumentException for an unknown app
   * @throws IllegalStateException when the URL does not answer the challenge
   */
  public void requestUrl(String app, String url) {
    realtime.requestUrl(app, url);
  }

  @Override
  public void close() {
    realtime.close();
    http.stop();
    journal.close();
  }

  /** Options of an emulator; {@link #start()} binds the port and returns it running. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private double timeScale = 1.0;
    private long seed = 1;
    private RateLimiter.Mode rateLimits = RateLimiter.Mode.SLACK;
    private final Map<String, Integer> customLimits = new LinkedHashMap<>();
    private WorkspaceSpec spec = WorkspaceSpec.defaults();
    private Path dataDir;
    private final List<Consumer<Faults>> faultSetup = new ArrayList<>();

    private Builder() {}

    /**
     * The workspace to create (teams, apps, users, channels), from a JSON config file; read now, so
     * a bad file fails here.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public Builder config(Path file) {
      this.spec = WorkspaceSpec.read(file);
      return this;
    }

    /**
     * Keeps the state in this directory (created if needed): every acknowledged write survives a
     * restart, kill -9 included. With state already there, the config is not applied again.
     */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The address to bind; default 127.0.0.1 (loopback only). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port; 0 (the default) picks a free one. Tests should always use 0. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** How many emulated seconds pass per real second, for rate limits and event retries. */
    public Builder timeScale(double timeScale) {
      if (!(timeScale > 0)) {
        throw new IllegalArgumentException("time scale must be > 0, was " + timeScale);
      }
      this.timeScale = timeScale;
      return this;
    }

    /** Seeds ids, tokens and faults, so runs repeat. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Slack's published rate limits (the default). */
    public Builder slackRateLimits() {
      this.rateLimits = RateLimiter.Mode.SLACK;
      return this;
    }

    /** No rate limits at all. */
    public Builder noRateLimits() {
      this.rateLimits = RateLimiter.Mode.OFF;
      return this;
    }

    /**
     * Slack's limits, except {@code method} which allows {@code perMinute} calls (0: unlimited).
     */
    public Builder rateLimit(String method, int perMinute) {
      if (perMinute < 0) {
        throw new IllegalArgumentException(
            "rate limit of " + method + " must be >= 0, was " + perMinute);
      }
      this.rateLimits = RateLimiter.Mode.CUSTOM;
      this.customLimits.put(method, perMinute);
      return this;
    }

    /**
     * Faults active from the start, e.g. {@code f -> f.errorRate("pins.add", INTERNAL_ERROR, 0.1)}.
     */
    public Builder faults(Consumer<Faults> setup) {
      this.faultSetup.add(Objects.requireNonNull(setup, "setup"));
      return this;
    }

    /** Starts an emulator with these options. */
    public Emulator start() {
      return new Emulator(this);
    }

    /** The options as they are now, for {@link Emulator#reset()}. */
    private Builder copy() {
      Builder c = new Builder();
      c.rateLimits = rateLimits;
      c.customLimits.putAll(customLimits);
      c.faultSetup.addAll(faultSetup);
      return c;
    }
  }
}
