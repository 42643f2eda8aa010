package io.slackmq.emulator;

/** Whether {@link Workspace#commitExclusive} may break atomicity: the race-window fault. */
interface RaceGate {
  /** Real milliseconds to hold an exclusive commit after its check; negative: atomic. */
  long raceDelayMillis();

  /** Sleeps outside any lock; an interrupt is kept and ends the wait. */
  static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
