package io.slackmq.core;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import com.slack.api.util.http.SlackHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import okhttp3.OkHttpClient;

/**
 * {@link SlackPort} over the official SDK's synchronous {@link MethodsClient}: paced per method
 * ({@link Pacer}), 429 answered by waiting Retry-After, 5xx / timeouts / Slack's transient
 * errors retried with full-jitter exponential backoff, all bounded by maxRetries, every HTTP
 * attempt counted. Tokens stay inside the SDK client; no message here includes one.
 */
final class SdkSlackPort implements SlackPort {
  /** ok:false codes that mean "Slack had a problem": retried like a 5xx. */
  private static final Set<String> TRANSIENT =
      Set.of("internal_error", "fatal_error", "request_timeout", "service_unavailable");
  private static final long BACKOFF_BASE_NANOS = 100_000_000L;
  private static final long BACKOFF_CAP_NANOS = 5_000_000_000L;

  private final MethodsClient methods;
  private final Pacer pacer;
  private final int maxRetries;
  private final double timeScale;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();

  SdkSlackPort(MethodsClient methods, Pacer pacer, int maxRetries, double timeScale,
      LongSupplier nanoTime) {
    this.methods = methods;
    this.pacer = pacer;
    this.maxRetries = maxRetries;
    this.timeScale = timeScale;
  }

  private record ClientKey(String apiUrl, String tokenSha256, Duration timeout) {}

  /**
   * SDK clients shared within the JVM, one per (API URL, token, timeout): each has its own
   * OkHttp connection pool and dispatcher, so one per LockClient (the seed facade builds one per
   * message) would leak pools. Kept for the life of the JVM, as OkHttp recommends; idle
   * connections are evicted by OkHttp itself. The raw token is not part of the key.
   */
  private static final Map<ClientKey, MethodsClient> SHARED = new ConcurrentHashMap<>();

  /**
   * The SDK client for {@code token} at {@code apiUrl} (shared, see {@link #SHARED}), without
   * the SDK's hidden auth.test.
   */
  static MethodsClient methods(String apiUrl, String token, Duration timeout) {
    String url = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    return SHARED.computeIfAbsent(new ClientKey(url, Pacer.Registry.sha256(token), timeout),
        k -> newMethods(url, token, timeout));
  }

  private static MethodsClient newMethods(String url, String token, Duration timeout) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(url);
    config.setStatsEnabled(false); // it would add an auth.test per token to our call counts
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(timeout).build();
    return Slack.getInstance(config, new SlackHttpClient(http)).methods(token);
  }

  /** The SDK client this port calls (for tests). */
  MethodsClient methods() {
    return methods;
  }

  @FunctionalInterface
  private interface Call<T extends SlackApiTextResponse> {
    T run() throws IOException, SlackApiException;
  }

  /** A response, and whether an earlier attempt of it failed in a way it may have applied. */
  private record Answer<T>(T response, boolean ambiguous) {}

  private <T extends SlackApiTextResponse> Answer<T> call(String method, Call<T> call) {
    boolean ambiguous = false;
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= maxRetries;
      try {
        pacer.acquire(method);
        calls.computeIfAbsent(method, m -> new LongAdder()).increment();
        T r = call.run();
        if (r.isOk() || !TRANSIENT.contains(r.getError()) || last) {
          return new Answer<>(r, ambiguous);
        }
        ambiguous = true;
        sleep(backoff(attempt));
      } catch (SlackApiException e) {
        int code = e.getResponse().code();
        if (code == 429) {
          limited.computeIfAbsent(method, m -> new LongAdder()).increment();
          if (last) {
            throw new SlackMQException("ratelimited", method + " was rate limited " + (attempt + 1)
                + " times in a row; use fewer workers per app, a cheaper strategy, or retry later",
                e);
          }
          sleep(retryAfter(e));
        } else if (code >= 500) {
          ambiguous = true;
          if (last) {
            throw new SlackMQException("http_" + code, method + ": Slack answered HTTP " + code
                + " " + (attempt + 1) + " times; Slack may be degraded, retry later", e);
          }
          sleep(backoff(attempt));
        } else {
          throw new SlackMQException("http_" + code, method + ": unexpected HTTP " + code
              + "; check the API URL", e);
        }
      } catch (IOException e) {
        ambiguous = true;
        if (last) {
          throw new SlackMQException("timeout", method + " got no answer after " + (attempt + 1)
              + " attempts (" + e.getClass().getSimpleName() + "); check the network and the API"
              + " URL", e);
        }
        sleep(backoff(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SlackMQException("interrupted", method + " was interrupted; shutting down?", e);
      }
    }
  }

  private long retryAfter(SlackApiException e) {
    String header = e.getResponse().header("Retry-After");
    long seconds = 1;
    try {
      if (header != null) {
        seconds = Math.max(0, Long.parseLong(header.trim()));
      }
    } catch (NumberFormatException ignored) {
      // a malformed header: wait one second, as Slack's docs suggest
    }
    long nanos = (long) (TimeUnit.SECONDS.toNanos(seconds) / timeScale);
    // jitter so that workers told the same Retry-After don't return in lockstep
    return Math.max(nanos, 10_000_000L) + ThreadLocalRandom.current().nextLong(
        Math.max(1, (long) (BACKOFF_BASE_NANOS / timeScale)));
  }

  private long backoff(int attempt) {
    long cap = Math.min(BACKOFF_CAP_NANOS, BACKOFF_BASE_NANOS << Math.min(attempt, 10));
    return (long) (ThreadLocalRandom.current().nextLong(cap / 2, cap + 1) / timeScale);
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SlackMQException("interrupted", "interrupted while backing off; shutting down?",
          e);
    }
  }

  private static SlackMQException error(String method, SlackApiTextResponse r) {
    return new SlackMQException(r.getError(), Hints.hint(method, r));
  }

  @Override
  public Added addMark(String channel, String ts, Strategy.Mark mark, String emoji) {
    String method;
    Answer<? extends SlackApiTextResponse> a;
    switch (mark) {
      case PIN -> {
        method = "pins.add";
        a = call(method, () -> methods.pinsAdd(r -> r.channel(channel).timestamp(ts)));
      }
      case REACTION -> {
        method = "reactions.add";
        a = call(method, () -> methods.reactionsAdd(r -> r.channel(channel).timestamp(ts)
            .name(emoji)));
      }
      case STAR -> {
        method = "stars.add";
        a = call(method, () -> methods.starsAdd(r -> r.channel(channel).timestamp(ts)));
      }
      default -> throw new AssertionError(mark);
    }
    SlackApiTextResponse r = a.response();
    if (r.isOk()) {
      return Added.ADDED;
    }
    if (Set.of("already_pinned", "already_reacted", "already_starred").contains(r.getError())) {
      return a.ambiguous() ? Added.AMBIGUOUS : Added.ALREADY;
    }
    throw error(method, r);
  }

  @Override
  public void removeMark(String channel, String ts, Strategy.Mark mark, String emoji) {
    String method;
    SlackApiTextResponse r;
    switch (mark) {
      case PIN -> {
        method = "pins.remove";
        r = call(method, () -> methods.pinsRemove(q -> q.channel(channel).timestamp(ts)))
            .response();
      }
      case REACTION -> {
        method = "reactions.remove";
        r = call(method, () -> methods.reactionsRemove(q -> q.channel(channel).timestamp(ts)
            .name(emoji))).response();
      }
      case STAR -> {
        method = "stars.remove";
        r = call(method, () -> methods.starsRemove(q -> q.channel(channel).timestamp(ts)))
            .response();
      }
      default -> throw new AssertionError(mark);
    }
    if (!r.isOk()
        && !Set.of("no_pin", "not_pinned", "no_reaction", "not_starred").contains(r.getError())) {
      throw error(method, r);
    }
  }

  @Override
  public String postReply(String channel, String threadTs, String text) {
    var r = call("chat.postMessage", () -> methods.chatPostMessage(q -> q.channel(channel)
        .threadTs(threadTs).text(text).unfurlLinks(false).unfurlMedia(false))).response();
    if (!r.isOk()) {
      throw error("chat.postMessage", r);
    }
    return r.getTs();
  }

  @Override
  public void deleteReply(String channel, String ts) {
    var r = call("chat.delete", () -> methods.chatDelete(q -> q.channel(channel).ts(ts)))
        .response();
    if (!r.isOk() && !"message_not_found".equals(r.getError())) {
      throw error("chat.delete", r);
    }
  }

  @Override
  public ThreadRead readThread(String channel, String ts) {
    List<Reply> replies = new ArrayList<>();
    Message parent = null;
    String cursor = null;
    do {
      String page = cursor;
      ConversationsRepliesResponse r = call("conversations.replies",
          () -> methods.conversationsReplies(q -> q.channel(channel).ts(ts).limit(200)
              .cursor(page))).response();
      if (!r.isOk()) {
        throw error("conversations.replies", r);
      }
      for (Message m : r.getMessages() == null ? List.<Message>of() : r.getMessages()) {
        if (ts.equals(m.getTs())) {
          parent = m;
        } else {
          boolean bot = m.getBotId() != null;
          // A user token's entries carry no bot_id: in user-token mode every user's tagged
          // reply counts (two users' workers must see each other's claims).
          boolean userEntry = !bot && m.getUser() != null && m.getText() != null
              && m.getText().contains("[slackmq ") && userTokenMode();
          replies.add(new Reply(m.getTs(), bot, userEntry, m.getText()));
        }
      }
      cursor = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    if (parent == null) {
      throw new SlackMQException("message_not_found",
          "conversations.replies did not return the message " + ts + "; was it deleted?");
    }
    List<String> reactions = new ArrayList<>();
    if (parent.getReactions() != null) {
      for (Reaction reaction : parent.getReactions()) {
        reactions.add(reaction.getName());
      }
    }
    boolean pinned = parent.getPinnedTo() != null && parent.getPinnedTo().contains(channel);
    return new ThreadRead(ts, List.copyOf(reactions), pinned, List.copyOf(replies));
  }

  private volatile Boolean userTokenMode;

  /**
   * Whether this port's token is a user token (auth.test without bot_id; asked once, and only
   * when a tagged reply without bot_id shows up).
   */
  private boolean userTokenMode() {
    Boolean mode = userTokenMode;
    if (mode == null) {
      var r = call("auth.test", () -> methods.authTest(q -> q)).response();
      if (!r.isOk()) {
        throw error("auth.test", r);
      }
      mode = r.getBotId() == null;
      userTokenMode = mode;
    }
    return mode;
  }

  @Override
  public ApiCalls calls() {
    Map<String, Long> c = new java.util.TreeMap<>();
    calls.forEach((k, v) -> c.put(k, v.sum()));
    Map<String, Long> l = new java.util.TreeMap<>();
    limited.forEach((k, v) -> l.put(k, v.sum()));
    return new ApiCalls(c, l);
  }
}
