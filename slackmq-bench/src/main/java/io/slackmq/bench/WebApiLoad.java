package io.slackmq.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** {@link WebApiBench}'s load generator: request loops back to back, and what they measured. */
final class WebApiLoad {
  private WebApiLoad() {}

  /** Latencies and errors of one target, over all its measured windows. */
  static final class Window {
    final List<long[]> latencies = new ArrayList<>();
    long errors;
    long nanos;

    WebApiBench.Result result(String target, WebApiBench.Options o) {
      long[] lat = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      double seconds = nanos / 1e9;
      return new WebApiBench.Result(
          target,
          o.threads(),
          lat.length,
          errors,
          seconds,
          lat.length / seconds,
          lat.length == 0 ? 0 : Percentiles.millis(lat, 0.50),
          lat.length == 0 ? 0 : Percentiles.millis(lat, 0.99),
          lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
    }
  }

  /** {@code threads} loops send requests back to back for {@code span}; adds to {@code into}. */
  static void load(
      HttpClient client, WebApiTargets.Target target, int threads, Duration span, Window into)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + span.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> futures = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                while (true) {
                  HttpRequest req = target.next();
                  long t0 = System.nanoTime();
                  if (t0 >= end) {
                    break;
                  }
                  boolean ok;
                  try {
                    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                    ok = r.statusCode() == 200 && r.body().startsWith("{\"ok\":true");
                  } catch (IOException e) {
                    ok = false;
                  }
                  long t1 = System.nanoTime();
                  if (!ok) {
                    errors.incrementAndGet();
                  }
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                  }
                  lat[n++] = t1 - t0;
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    try {
      for (Future<long[]> f : futures) {
        into.latencies.add(f.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("load loop failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    into.nanos += System.nanoTime() - start;
    into.errors += errors.get();
  }
}
