package io.slackmq.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which lock marks {@link LockClient#acquire} puts on a message before claiming it in the ledger.
 * Marks are a cheap, visible filter that makes contention rare; the ledger thread decides who holds
 * the message. All marks must succeed; a partial success is rolled back.
 *
 * <ul>
 *   <li>{@link Mark#PIN}: exclusive among everyone in the channel (different apps too). Tier 2
 *       (20/min per app): at most ~20 messages/min per app.
 *   <li>{@link Mark#REACTION}: exclusive only among workers sharing one bot user; Tier 3.
 *   <li>{@link Mark#STAR}: user tokens only; deprecated by Slack; kept for the seed.
 * </ul>
 *
 * @param marks the marks, at least one
 */
public record Strategy(Set<Mark> marks) {

  /** A lock mark. */
  public enum Mark {
    /**
     * A reaction by the token's user: first, because it is the cheapest filter (Tier 3) and, kept
     * after completion, makes a late copy cost 2 calls.
     */
    REACTION,
    /** A pin in the channel. */
    PIN,
    /** A star by the token's user (user tokens only). */
    STAR
  }

  /** Pin only: the default; exclusive across apps and bot users. */
  public static final Strategy PIN = of(Mark.PIN);

  /** Lock reaction only: cheaper tier; exclusive among workers that share one bot user. */
  public static final Strategy REACTION = of(Mark.REACTION);

  /** Star only: user tokens; deprecated by Slack. */
  public static final Strategy STAR = of(Mark.STAR);

  public Strategy {
    Objects.requireNonNull(marks, "marks");
    if (marks.isEmpty()) {
      throw new IllegalArgumentException("a strategy needs at least one mark");
    }
    marks = Collections.unmodifiableSet(EnumSet.copyOf(marks));
  }

  /** A strategy using all the given marks, applied in the order REACTION, PIN, STAR. */
  public static Strategy of(Mark first, Mark... more) {
    return new Strategy(EnumSet.of(first, more));
  }

  /** True if this strategy uses {@code mark}. */
  public boolean uses(Mark mark) {
    return marks.contains(mark);
  }

  @Override
  public String toString() {
    return marks.toString();
  }
}
