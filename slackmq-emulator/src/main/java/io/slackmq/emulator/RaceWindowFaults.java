package io.slackmq.emulator;

/**
 * The race-window fault: while open, {@link Workspace#commitExclusive} commits its change a delay
 * after the check, without a second check.
 */
final class RaceWindowFaults implements RaceGate {
  static final long DEFAULT_DELAY_MILLIS = 50;

  private volatile long untilNanos = Long.MIN_VALUE;
  private volatile long delayMillis = DEFAULT_DELAY_MILLIS;

  void open(long lengthNanos) {
    untilNanos = System.nanoTime() + lengthNanos;
  }

  void delayMillis(long millis) {
    delayMillis = millis;
  }

  long delayMillis() {
    return delayMillis;
  }

  boolean isOpen() {
    long until = untilNanos;
    return until != Long.MIN_VALUE && System.nanoTime() - until < 0;
  }

  /** Milliseconds the window stays open (at least 1 while open), 0 when closed. */
  long remainingMillis() {
    return isOpen() ? Math.max(1, (untilNanos - System.nanoTime()) / 1_000_000) : 0;
  }

  @Override
  public long raceDelayMillis() {
    return isOpen() ? delayMillis : -1;
  }

  void clear() {
    untilNanos = Long.MIN_VALUE;
    delayMillis = DEFAULT_DELAY_MILLIS;
  }
}
