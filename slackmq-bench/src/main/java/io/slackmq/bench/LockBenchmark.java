package io.slackmq.bench;

import com.slack.api.methods.MethodsClient;
import io.slackmq.core.ApiCalls;
import io.slackmq.core.LockClient;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackApi;
import io.slackmq.core.SlackMQException;
import io.slackmq.core.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lock strategies vs the seed's algorithm, on a Slack (normally the emulator with Slack's rate
 * limits at a time scale): N workers that each see every message, as the seed's workers did. Not a
 * test; the CLI's {@code bench} calls {@link #run}. Figures: docs/BENCHMARKS.md.
 */
public final class LockBenchmark {
  private LockBenchmark() {}

  /**
   * One configuration's figures. {@code usefulCallsPerMessage} counts the calls Slack answered
   * (429s excluded), {@code rateLimitedPerMessage} the 429 answers, both per completed message.
   * {@code ceiling} is the happy-path ceiling with one attempt per message; {@code fleetCeiling}
   * the ceiling when every worker tries every message (the seed's model).
   */
  public record Row(
      String name,
      int messages,
      int completed,
      int duplicates,
      double emulatedMinutes,
      double perEmulatedMinute,
      double usefulCallsPerMessage,
      double rateLimitedPerMessage,
      long rateLimited,
      double ceiling,
      double fleetCeiling) {
    /** The header of {@link #toString()}'s table. */
    public static final String HEADER =
        "| strategy | completed | processed twice | emulated min"
            + " | msgs / emulated min | useful calls / msg | 429s / msg | 429s | ceiling, 1 try / msg"
            + " | ceiling, every worker tries every msg |";

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "| %-14s | %4d/%d | %3d | %6.1f | %6.2f | %6.1f | %6.1f | %5d | %5.1f | %5.2f |",
          name,
          completed,
          messages,
          duplicates,
          emulatedMinutes,
          perEmulatedMinute,
          usefulCallsPerMessage,
          rateLimitedPerMessage,
          rateLimited,
          ceiling,
          fleetCeiling);
    }
  }

  /**
   * Runs every configuration in turn on fresh messages.
   *
   * @param apiUrl the Slack (emulator) API prefix
   * @param botToken the workers' bot token (all workers share one app, so one budget)
   * @param posterToken a token to post the task messages with
   * @param channel the channel
   * @param timeScale the emulator's time scale (60: an emulated minute is a real second)
   * @param workers workers (each sees every message)
   * @param messages task messages per configuration
   * @param capMinutes stop a configuration after this many emulated minutes
   */
  public static List<Row> run(
      String apiUrl,
      String botToken,
      String posterToken,
      String channel,
      double timeScale,
      int workers,
      int messages,
      double capMinutes)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    MethodsClient poster = SlackApi.client(apiUrl, posterToken, Duration.ofSeconds(10));
    for (String name : List.of("seed (pin)", "PIN", "REACTION", "PIN+REACTION")) {
      List<String> tasks = new ArrayList<>();
      for (int i = 0; i < messages; i++) {
        int k = i;
        var r = poster.chatPostMessage(q -> q.channel(channel).text("bench " + name + " " + k));
        if (!r.isOk()) {
          throw new IllegalStateException("posting tasks failed: " + r.getError());
        }
        tasks.add(r.getTs());
        if (i % 25 == 24) { // chat.postMessage is ~1/s per channel: stay under it
          TimeUnit.MILLISECONDS.sleep((long) (25_000 / timeScale));
        }
      }
      rows.add(
          name.startsWith("seed")
              ? seed(apiUrl, botToken, channel, timeScale, workers, tasks, capMinutes)
              : ours(name, apiUrl, botToken, channel, timeScale, workers, tasks, capMinutes));
    }
    return rows;
  }

  /** Happy-path ceiling per app (messages/min), one attempt per message. */
  private static double ceiling(String name) {
    return switch (name) {
      case "REACTION" -> 25.0; // lock + done reactions.add (Tier 3, 50/min) per message
      default -> 20.0; // pins.add (Tier 2, 20/min) once per message; the seed too
    };
  }

  /**
   * The ceiling (messages/min per app) when each of {@code n} workers tries every message once: the
   * scarcest method's tier rate over its calls per message. The seed and PIN spend n pins.add (a
   * late PIN copy pins again, since complete() unpins); REACTION and PIN+REACTION spend n + 1
   * reactions.add (n lock attempts + done; the kept lock reaction stops late copies before
   * pins.add) and n conversations.replies.
   */
  static double fleetCeiling(String name, int n) {
    return switch (name) {
      case "REACTION", "PIN+REACTION" -> 50.0 / (n + 1); // reads: 50 / n, a little more
      default -> 20.0 / n;
    };
  }

  private static Row ours(
      String name,
      String apiUrl,
      String token,
      String channel,
      double timeScale,
      int workers,
      List<String> tasks,
      double capMinutes)
      throws Exception {
    Strategy strategy =
        name.equals("PIN")
            ? Strategy.PIN
            : name.equals("REACTION")
                ? Strategy.REACTION
                : Strategy.of(Strategy.Mark.PIN, Strategy.Mark.REACTION);
    List<LockClient> clients = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      clients.add(
          LockClient.builder()
              .apiUrl(apiUrl)
              .token(token)
              .strategy(strategy)
              .ttl(Duration.ofMinutes(5))
              .timeScale(timeScale)
              .maxRetries(8)
              .workerId("bench-" + i)
              .build());
    }
    Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long deadline = start + (long) (capMinutes * 60e9 / timeScale);
    Set<String> done = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<?>> futures = new ArrayList<>();
    for (LockClient c : clients) {
      futures.add(
          pool.submit(
              () -> {
                Set<String> seen = new HashSet<>(); // this worker's own memory, as on its own host
                while (System.nanoTime() < deadline && seen.size() < tasks.size()) {
                  for (String ts : tasks) {
                    if (seen.contains(ts) || System.nanoTime() > deadline) {
                      continue;
                    }
                    Outcome o = c.acquire(channel, ts);
                    if (o instanceof Outcome.Acquired a) {
                      processed.computeIfAbsent(ts, k -> new AtomicInteger()).incrementAndGet();
                      try {
                        a.lease().complete();
                        done.add(ts);
                      } catch (SlackMQException e) {
                        continue;
                      }
                      seen.add(ts);
                    } else if (o instanceof Outcome.Done || o instanceof Outcome.DeadLettered) {
                      seen.add(ts);
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    double minutes = (System.nanoTime() - start) * timeScale / 60e9;
    ApiCalls calls = clients.stream().map(LockClient::calls).reduce(ApiCalls::plus).orElseThrow();
    clients.forEach(LockClient::close);
    int dup = processed.values().stream().mapToInt(a -> a.get() - 1).sum();
    double per = Math.max(1, done.size());
    return new Row(
        name,
        tasks.size(),
        done.size(),
        dup,
        minutes,
        done.size() / minutes,
        (calls.total() - calls.totalRateLimited()) / per,
        calls.totalRateLimited() / per,
        calls.totalRateLimited(),
        ceiling(name),
        fleetCeiling(name, workers));
  }

  /** The seed: ack = pins.add (true iff ok, false on ANY error); unack = sleep 3 s, pins.remove. */
  private static Row seed(
      String apiUrl,
      String token,
      String channel,
      double timeScale,
      int workers,
      List<String> tasks,
      double capMinutes)
      throws Exception {
    MethodsClient methods = SlackApi.client(apiUrl, token, Duration.ofSeconds(10));
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long deadline = start + (long) (capMinutes * 60e9 / timeScale);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      futures.add(
          pool.submit(
              () -> {
                for (String ts : tasks) { // every worker tries every message once, as the seed did
                  if (System.nanoTime() > deadline) {
                    break;
                  }
                  boolean acked;
                  try {
                    calls.incrementAndGet();
                    acked = methods.pinsAdd(r -> r.channel(channel).timestamp(ts)).isOk();
                  } catch (com.slack.api.methods.SlackApiException e) {
                    limited.incrementAndGet();
                    acked = false; // the seed's bare except: a 429 reads as "someone else has it"
                  } catch (Exception e) {
                    acked = false;
                  }
                  if (acked) {
                    processed.computeIfAbsent(ts, k -> new AtomicInteger()).incrementAndGet();
                    TimeUnit.MILLISECONDS.sleep((long) (3000 / timeScale)); // unack's sleep, scaled
                    calls.incrementAndGet();
                    try {
                      methods.pinsRemove(r -> r.channel(channel).timestamp(ts));
                    } catch (com.slack.api.methods.SlackApiException e) {
                      limited.incrementAndGet(); // the pin stays forever
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    double minutes = (System.nanoTime() - start) * timeScale / 60e9;
    int completed = processed.size();
    int dup = processed.values().stream().mapToInt(a -> a.get() - 1).sum();
    double per = Math.max(1, completed);
    return new Row(
        "seed (pin)",
        tasks.size(),
        completed,
        dup,
        minutes,
        completed / minutes,
        (calls.get() - limited.get()) / per,
        limited.get() / per,
        limited.get(),
        ceiling("seed"),
        fleetCeiling("seed", workers));
  }
}
