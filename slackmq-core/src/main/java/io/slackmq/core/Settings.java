package io.slackmq.core;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/** A LockClient's validated configuration. */
record Settings(
    Strategy strategy,
    Duration ttl,
    Duration safetyMargin,
    Duration clockSkew,
    int maxAttempts,
    String workerId,
    String lockEmoji,
    String doneEmoji,
    String deadEmoji,
    boolean keepLockReaction,
    InstantSource clock,
    LongSupplier nanoTime,
    double timeScale,
    ScheduledExecutorService scheduler,
    Duration readLagBound,
    SlackApi.Sleeper sleeper,
    boolean compactLedger) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Waits out the read-lag bound (in real time: the bound divided by the time scale) so that a read
   * that follows shows every entry stamped before the write this follows (assumption A1').
   */
  void settle() {
    long nanos = (long) (readLagBound.toNanos() / timeScale);
    if (nanos <= 0) {
      return;
    }
    try {
      sleeper.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SlackMQException(
          "interrupted", "interrupted while waiting for Slack's reads to catch up");
    }
  }

  /**
   * The safety margin of a lease of {@code ttlNanos}: the client's for its own ttl; for another,
   * scaled to it (the margin covers clock-rate drift, which grows with the ttl), at least 100 ms
   * and at most half the ttl.
   */
  long marginNanos(long ttlNanos) {
    if (ttlNanos == ttl.toNanos()) {
      return safetyMargin.toNanos();
    }
    double share = (double) safetyMargin.toNanos() / ttl.toNanos();
    return Math.min(Math.max((long) (ttlNanos * share), 100_000_000L), ttlNanos / 2);
  }

  long ttlMicros() {
    return ttl.toNanos() / 1000;
  }

  /** Slack's time as this host guesses it (wall clock), in micros like a ts. */
  long nowMicros() {
    return Ts.micros(clock.instant());
  }

  /** A fresh claim id: 16 base-36 characters from a CSPRNG (unique per claim, not per worker). */
  static String newClaimId() {
    StringBuilder b = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      b.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return b.toString();
  }

  /** host/pid/random: readable in the thread, unique enough per process. */
  static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9._-]", "").replaceAll("^$", "host");
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    String rnd = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
    String name = ManagementFactory.getRuntimeMXBean() != null ? pid : "0";
    return host + "/" + name + "/" + rnd;
  }
}
