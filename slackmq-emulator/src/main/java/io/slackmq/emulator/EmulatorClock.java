package io.slackmq.emulator;

import java.util.concurrent.TimeUnit;

/**
 * The emulator's two notions of time.
 *
 * <p>Wall time ({@link #wallMicros()}) stamps messages ({@code ts}) and pins ({@code created}): it
 * is real epoch time, so a {@code ts} looks like one from Slack. Emulated time ({@link
 * #emulatedNanos()}) drives rate-limit windows and event retry schedules: with a time scale of 60,
 * an emulated minute lasts one real second, so tests and benchmarks keep Slack's ratios and run
 * fast.
 */
final class EmulatorClock {
  private final double timeScale;
  private final long startNanos = System.nanoTime();

  EmulatorClock(double timeScale) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("time scale must be > 0, was " + timeScale);
    }
    this.timeScale = timeScale;
  }

  double timeScale() {
    return timeScale;
  }

  /** Real epoch time in microseconds. */
  long wallMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Emulated nanoseconds since the emulator started (monotonic, scaled). */
  long emulatedNanos() {
    return (long) ((System.nanoTime() - startNanos) * timeScale);
  }

  /** How long, in real milliseconds, an emulated span lasts. */
  long realMillis(long emulatedAmount, TimeUnit unit) {
    return (long) Math.ceil(unit.toNanos(emulatedAmount) / timeScale / 1_000_000.0);
  }
}
