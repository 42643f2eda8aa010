package io.slackmq.cli;

import io.slackmq.emulator.Faults;
import java.time.Duration;
import java.util.List;

/**
 * What {@code slackmq demo --chaos} does to the run: the faults it injects into the local Slack,
 * and the kill of one worker mid-job (no release: its leases must expire).
 */
final class DemoChaos {
  private final DemoMember victim;
  private boolean victimKilled;

  /** {@code victim}: the member to kill; it is not part of the rolling fleet. */
  DemoChaos(DemoMember victim) {
    this.victim = victim;
  }

  /** Injects the faults; returns them as the demo states them. */
  static List<String> injectFaults(Faults faults) {
    faults
        .errorRate("pins.add", Faults.ErrorKind.HTTP_500, 0.05)
        .errorRate("chat.postMessage", Faults.ErrorKind.INTERNAL_ERROR, 0.03)
        .latency("*", Duration.ofMillis(2), Duration.ofMillis(20))
        .duplicateEvents(0.2)
        .disconnectEvery(Duration.ofSeconds(4), Faults.DisconnectReason.REFRESH_REQUESTED)
        .raceWindow(Duration.ofMinutes(5))
        // Slack's weak consistency, within the workers' read-lag bound (2 emulated seconds).
        .readLag(Duration.ofMillis(1500))
        .ownWritesVisible(false)
        .lateEvents(0.2, Duration.ofMillis(300));
    return List.of(
        "5% of pins.add answer HTTP 500",
        "3% of chat.postMessage answer internal_error",
        "2-22 ms latency on every call",
        "20% of events delivered twice",
        "a Socket Mode refresh every 4 s",
        "pins.add/reactions.add not atomic (race window)",
        "reads lag up to 1.5 emulated s per reader and message, own posts too",
        "20% of events late by up to 300 ms (out of order)");
  }

  /**
   * One look at the run's progress: from a third of the jobs on, the victim's next job hangs (see
   * {@link DemoMember#run}); once it has one in hand, or after a while without one, it is killed.
   */
  void step(int handled, int totalUnits, DemoProgress progress) {
    if (victimKilled || handled < totalUnits / 3) {
      return;
    }
    victim.doomed = true;
    // Kill it when every job it has is hung and its last finished job had time to be
    // completed, so the kill hits it mid-job (a job that finished but was not yet marked
    // done would legitimately run twice: see docs/PROTOCOL.md on at-least-once).
    boolean onlyHungJobs =
        victim.running.get() == victim.hung.get()
            && System.nanoTime() - victim.lastFinishNanos > 300_000_000L;
    if (onlyHungJobs && (victim.hung.get() > 0 || handled >= totalUnits * 2 / 3)) {
      int inHand = victim.hung.get();
      victim.killed = true;
      victim.worker.kill();
      victimKilled = true;
      progress.note(
          "killed worker "
              + victim.id
              + " with "
              + inHand
              + " job(s) in hand (no release: its leases must expire)");
    }
  }
}
