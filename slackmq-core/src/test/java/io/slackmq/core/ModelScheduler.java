package io.slackmq.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * A seeded cooperative scheduler: worker threads run one at a time, each until its next yield point
 * (a Slack operation, or a sleep); between grants the scheduler may advance the model clock or
 * crash a worker. Same seed, same schedule.
 *
 * <p>With {@code latencyBoundMicros} > 0, no Slack operation waits longer than that bound once
 * requested (calls have bounded latency); with 0, any operation can be delayed arbitrarily (GC
 * pauses, stalled connections).
 */
final class ModelScheduler {
  /** Thrown inside a crashed (or abandoned at shutdown) worker thread to unwind it. */
  static final class Crashed extends Error {
    private static final long serialVersionUID = 1L;

    Crashed() {
      super(null, null, false, false);
    }
  }

  private final ModelSlack slack;
  private final Random random;
  private final long latencyBound;
  private final long maxAdvance;
  private final List<Semaphore> go = new ArrayList<>();
  private final Semaphore back = new Semaphore(0);
  private final List<Thread> threads = new ArrayList<>();
  private long[] waitingSince;
  private long[] sleepUntil;
  private boolean[] finished;
  private boolean[] crashed;
  private volatile boolean shutdown;
  int steps;

  ModelScheduler(ModelSlack slack, Random random, long latencyBoundMicros, long maxAdvanceMicros) {
    this.slack = slack;
    this.random = random;
    this.latencyBound = latencyBoundMicros;
    this.maxAdvance = maxAdvanceMicros;
  }

  /** Called by worker {@code i} before each Slack operation. */
  void op(int i) {
    pause(i, 0);
  }

  /** Called by worker {@code i} to sleep {@code micros} of model time. */
  void sleep(int i, long micros) {
    pause(i, micros);
  }

  private void pause(int i, long micros) {
    waitingSince[i] = slack.now;
    sleepUntil[i] = slack.now + micros;
    back.release();
    go.get(i).acquireUninterruptibly();
    if (shutdown || crashed[i]) {
      throw new Crashed();
    }
  }

  /**
   * Runs the workers to completion (or crash), checking {@code invariant} after every step. {@code
   * crashProbability} per step, at most one crash per run.
   */
  void run(List<Runnable> workers, double crashProbability, Runnable invariant) {
    int n = workers.size();
    waitingSince = new long[n];
    sleepUntil = new long[n];
    finished = new boolean[n];
    crashed = new boolean[n];
    for (int i = 0; i < n; i++) {
      go.add(new Semaphore(0));
      int w = i;
      Thread t =
          new Thread(
              () -> {
                go.get(w).acquireUninterruptibly();
                try {
                  if (!shutdown) {
                    workers.get(w).run();
                  }
                } catch (Crashed ignored) {
                  // unwound
                } finally {
                  finished[w] = true;
                  back.release();
                }
              },
              "model-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (int i = 0; i < n; i++) { // run each worker to its first yield point
      grant(i);
    }
    boolean crashedOne = false;
    while (true) {
      List<Integer> live = new ArrayList<>();
      List<Integer> ready = new ArrayList<>();
      long latest = Long.MAX_VALUE; // the clock must not pass this (latency bound)
      long soonest = Long.MAX_VALUE; // earliest wake-up of a sleeper
      for (int i = 0; i < n; i++) {
        if (finished[i] || crashed[i]) {
          continue;
        }
        live.add(i);
        if (slack.now >= sleepUntil[i]) {
          ready.add(i);
        } else {
          soonest = Math.min(soonest, sleepUntil[i]);
        }
        if (latencyBound > 0) {
          latest = Math.min(latest, Math.max(sleepUntil[i], waitingSince[i]) + latencyBound);
        }
      }
      if (live.isEmpty()) {
        break;
      }
      steps++;
      if (steps > 5_000) {
        throw new AssertionError("model run did not terminate");
      }
      if (!crashedOne && random.nextDouble() < crashProbability) {
        int victim = live.get(random.nextInt(live.size()));
        crashed[victim] = true;
        crashedOne = true;
        invariant.run();
        continue;
      }
      boolean canAdvance = latest > slack.now;
      if (ready.isEmpty() || (canAdvance && random.nextInt(4) == 0)) {
        long room = Math.min(latest, slack.now + maxAdvance) - slack.now;
        long need = ready.isEmpty() ? soonest - slack.now : 1;
        long delta = need >= room ? need : need + (long) (random.nextDouble() * (room - need));
        slack.now += Math.max(delta, 1);
      } else {
        grant(ready.get(random.nextInt(ready.size())));
      }
      invariant.run();
    }
    shutdown();
  }

  private void grant(int i) {
    go.get(i).release();
    back.acquireUninterruptibly();
  }

  private void shutdown() {
    shutdown = true;
    for (int i = 0; i < go.size(); i++) {
      if (!finished[i]) {
        grant(i);
      }
    }
    for (Thread t : threads) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
