package io.slackmq.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the worker's health is made of, fed as things happen (no probe makes a call): the scheduled
 * tasks' recent failures, whether Slack answers, and a fatal JVM error.
 *
 * <ul>
 *   <li>A scheduled task (sweeper, poller, retry) that fails {@value #FAILURES_UNHEALTHY} runs in a
 *       row with an unexpected exception is a problem that makes the worker not live: its work is
 *       not getting done, and a restart is the remedy a supervisor has. One run that succeeds
 *       clears it.
 *   <li>A Web API answer that says Slack cannot be used (no answer, HTTP 5xx, a token Slack
 *       refuses) makes the worker not ready until an answer from Slack comes back; any answer, even
 *       an error such as {@code already_pinned}, shows Slack is reachable.
 *   <li>A JVM error the process cannot survive (out of memory, an internal error) is handed to
 *       {@link #onFatal}: the worker goes FAILED with it as the cause.
 * </ul>
 */
final class Vitals {
  static final int FAILURES_UNHEALTHY = 3;

  /** Answers after which Slack cannot be used until it answers otherwise. */
  private static final Set<String> UNUSABLE =
      Set.of(
          "timeout",
          "invalid_auth",
          "not_authed",
          "account_inactive",
          "token_revoked",
          "token_expired");

  private record Failing(int times, String last) {}

  private final LongSupplier nanoTime;
  private final Map<String, Failing> failing = new ConcurrentHashMap<>();
  private volatile String slackProblem;
  private volatile long slackProblemSince;
  private volatile Consumer<Throwable> onFatal = e -> {};

  Vitals(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Who is told of a fatal error (the worker, once started). */
  void onFatal(Consumer<Throwable> handler) {
    this.onFatal = handler;
  }

  void ran(String task) {
    failing.remove(task);
  }

  void failed(String task, Throwable e) {
    failing.merge(task, new Failing(1, e.toString()), (a, b) -> new Failing(a.times + 1, b.last));
  }

  void fatal(Throwable e) {
    onFatal.accept(e);
  }

  /** A Web API answer: {@code error} null when ok (see {@code SlackApi.Listener#answered}). */
  void answered(String method, String error) {
    if (error != null && (UNUSABLE.contains(error) || error.startsWith("http_5"))) {
      if (slackProblem == null) {
        slackProblemSince = nanoTime.getAsLong();
      }
      slackProblem = "Slack cannot be used: " + method + " answered " + error;
    } else {
      slackProblem = null;
    }
  }

  /** Why the worker is not live; empty if it is. */
  List<String> liveness() {
    List<String> out = new ArrayList<>();
    failing.forEach(
        (task, f) -> {
          if (f.times >= FAILURES_UNHEALTHY) {
            out.add(task + " failed " + f.times + " times in a row (last: " + f.last + ")");
          }
        });
    return out;
  }

  /** Why Slack cannot be used now, with for how long; null if it can. */
  String slack() {
    String p = slackProblem;
    if (p == null) {
      return null;
    }
    Duration d = Duration.ofNanos(nanoTime.getAsLong() - slackProblemSince);
    return p + " (for " + d.toSeconds() + " s)";
  }
}
