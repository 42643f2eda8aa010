package io.slackmq.core;

import java.time.Instant;

/**
 * Slack message timestamps ({@code "secs.micros"}, server-assigned, unique per channel) as
 * microseconds since the epoch, and back. The one conversion every module uses.
 */
public final class Ts {
  private Ts() {}

  /**
   * The micros of a Slack ts.
   *
   * @throws IllegalArgumentException unless {@code ts} is digits, a dot and six digits
   */
  public static long parse(String ts) {
    int dot = ts.indexOf('.');
    if (dot <= 0 || ts.length() - dot - 1 != 6) {
      throw new IllegalArgumentException("not a Slack ts: " + ts);
    }
    return Long.parseLong(ts.substring(0, dot)) * 1_000_000L
        + Long.parseLong(ts.substring(dot + 1));
  }

  /** Whether {@code ts} has Slack's form (up to 12 digits, a dot, six digits). */
  public static boolean valid(String ts) {
    return ts != null && ts.matches("\\d{1,12}\\.\\d{6}");
  }

  /** The Slack ts of {@code micros} since the epoch. */
  public static String format(long micros) {
    return String.format(
        java.util.Locale.ROOT, "%d.%06d", micros / 1_000_000L, micros % 1_000_000L);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1000L);
  }

  /** The micros since the epoch of {@code instant}, in a ts's unit (a clock reading). */
  public static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000L;
  }
}
