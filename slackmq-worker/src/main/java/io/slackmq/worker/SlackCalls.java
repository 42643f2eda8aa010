package io.slackmq.worker;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import io.slackmq.core.SlackMQException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's own Web API calls (replies, reactions, history, thread reads): counted by
 * method, and on HTTP 429 the {@link RateGate} is closed for Retry-After and the call retried
 * (bounded). Errors become {@link SlackMQException} with Slack's code; never a token.
 */
final class SlackCalls {
  private static final int MAX_RETRIES = 4;
  /** ok:false errors that Slack documents as transient ("try again"). */
  private static final Set<String> TRANSIENT =
      Set.of("internal_error", "fatal_error", "request_timeout", "service_unavailable");

  private final MethodsClient methods;
  private final Counters counters;
  private final RateGate gate;
  private final double timeScale;
  private final Map<String, Boolean> botUsers = new ConcurrentHashMap<>();

  SlackCalls(MethodsClient methods, Counters counters, RateGate gate, double timeScale) {
    this.methods = methods;
    this.counters = counters;
    this.gate = gate;
    this.timeScale = timeScale;
  }

  @FunctionalInterface
  interface Call<T> {
    T run() throws IOException, SlackApiException;
  }

  <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        gate.awaitOpen();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SlackMQException("interrupted", method + " was interrupted (shutting down?)");
      }
      counters.call(method);
      try {
        T r = call.run();
        if (!r.isOk() && TRANSIENT.contains(r.getError()) && attempt < MAX_RETRIES) {
          // Slack's own "try again" answers. A retried post may appear twice; our records in
          // threads are idempotent, and a handler's reply twice beats a handler run twice.
          backOff(attempt);
          continue;
        }
        if (!r.isOk()) {
          throw new SlackMQException(r.getError(), method + " failed; see Slack's docs for "
              + r.getError() + (r.getNeeded() != null ? " (needs scope " + r.getNeeded() + ")" : ""));
        }
        return r;
      } catch (SlackApiException e) {
        int code = e.getResponse().code();
        if (code == 429) {
          counters.rateLimited.increment();
          gate.pause(retryAfter(e.getResponse().header("Retry-After")));
          if (attempt < MAX_RETRIES) {
            continue;
          }
          throw new SlackMQException("ratelimited", method + " still rate limited after "
              + MAX_RETRIES + " retries; slow down (fewer channels, longer intervals)", e);
        }
        if (code >= 500 && attempt < MAX_RETRIES) {
          backOff(attempt); // this call's trouble: the other threads go on
          continue;
        }
        throw new SlackMQException("http_" + code, method + " answered HTTP " + code, e);
      } catch (IOException e) {
        if (attempt < MAX_RETRIES) {
          backOff(attempt); // never hot-loop on a network that is down
          continue;
        }
        throw new SlackMQException("timeout", method + " did not answer: " + e.getMessage(), e);
      }
    }
  }

  private void backOff(int attempt) {
    try {
      Thread.sleep((long) ((50L << attempt) * (0.5 + Math.random()))); // jittered: 25-75 ms, then x2
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SlackMQException("interrupted", "interrupted while backing off (shutting down?)");
    }
  }

  Duration retryAfter(String header) {
    long secs = 1;
    try {
      secs = header == null ? 1 : Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException ignored) {
      // keep one second
    }
    return Duration.ofMillis(Math.max(20, (long) (secs * 1000 / timeScale)));
  }

  String post(String channel, String text, String threadTs) {
    return call("chat.postMessage", () -> methods.chatPostMessage(r -> {
      r.channel(channel).text(text);
      if (threadTs != null) {
        r.threadTs(threadTs);
      }
      return r;
    })).getTs();
  }

  void react(String channel, String ts, String emoji) {
    try {
      call("reactions.add", () -> methods.reactionsAdd(r -> r.channel(channel).timestamp(ts)
          .name(emoji)));
    } catch (SlackMQException e) {
      if (!"already_reacted".equals(e.error())) {
        throw e;
      }
    }
  }

  /** Top-level messages with ts &gt; {@code oldest}, oldest first (all pages). */
  List<Message> history(String channel, String oldest) {
    List<Message> out = new ArrayList<>();
    String cursor = null;
    do {
      String c = cursor;
      ConversationsHistoryResponse r = call("conversations.history",
          () -> methods.conversationsHistory(q -> {
            q.channel(channel).oldest(oldest).inclusive(false).limit(200);
            if (c != null) {
              q.cursor(c);
            }
            return q;
          }));
      out.addAll(r.getMessages());
      cursor = r.isHasMore() && r.getResponseMetadata() != null
          ? r.getResponseMetadata().getNextCursor() : null;
    } while (cursor != null && !cursor.isEmpty());
    out.sort((a, b) -> Long.compare(micros(a.getTs()), micros(b.getTs())));
    return out;
  }

  /** The thread: the parent first, then replies (all pages). */
  List<Message> thread(String channel, String ts) {
    List<Message> out = new ArrayList<>();
    String cursor = null;
    do {
      String c = cursor;
      ConversationsRepliesResponse r = call("conversations.replies",
          () -> methods.conversationsReplies(q -> {
            q.channel(channel).ts(ts).limit(200);
            if (c != null) {
              q.cursor(c);
            }
            return q;
          }));
      out.addAll(r.getMessages());
      cursor = r.isHasMore() && r.getResponseMetadata() != null
          ? r.getResponseMetadata().getNextCursor() : null;
    } while (cursor != null && !cursor.isEmpty());
    return out;
  }

  /** Whether {@code user} is a bot (cached). */
  boolean isBot(String user) {
    return botUsers.computeIfAbsent(user, u -> {
      var r = call("users.info", () -> methods.usersInfo(q -> q.user(u)));
      return r.getUser() != null && (r.getUser().isBot() || "USLACKBOT".equals(u));
    });
  }

  /** auth.test: [user_id, bot_id]. */
  String[] whoAmI() {
    var r = call("auth.test", () -> methods.authTest(q -> q));
    return new String[] {r.getUserId(), r.getBotId()};
  }

  static long micros(String ts) {
    int dot = ts.indexOf('.');
    if (dot < 0) {
      return Long.parseLong(ts) * 1_000_000L;
    }
    String frac = (ts.substring(dot + 1) + "000000").substring(0, 6);
    return Long.parseLong(ts.substring(0, dot)) * 1_000_000L + Long.parseLong(frac);
  }

  static String ts(long micros) {
    return String.format(java.util.Locale.ROOT, "%d.%06d", micros / 1_000_000L,
        micros % 1_000_000L);
  }
}
