package io.slackmq.cli;

import io.slackmq.core.Strategy;
import java.time.Duration;

/**
 * What one {@code slackmq demo} run was asked for: the command's options, checked and parsed.
 *
 * @param marks the workers' lock strategy
 * @param timeScale emulated seconds per real second for Slack's rate limits
 * @param seed seeds the emulator, the faults and the task durations
 */
record DemoSettings(
    int workers,
    int messages,
    Strategy marks,
    double timeScale,
    Duration ttl,
    boolean chaos,
    boolean rolling,
    long seed,
    Duration timeout) {

  /**
   * Workers alternate between two apps when the strategy pins (each app gets every event, so only
   * the pin keeps them apart); a reaction-only strategy keeps them on one shared bot user.
   */
  boolean twoApps() {
    return marks.uses(Strategy.Mark.PIN);
  }
}
