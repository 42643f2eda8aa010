package io.slackmq.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** The time bounds of history reads ({@code oldest}, {@code latest}) and of their cursors. */
final class TimeBounds {
  private TimeBounds() {}

  private static final Pattern BOUND = Pattern.compile("\\d{1,13}(\\.\\d{1,9})?");

  /** A time bound ({@code oldest}/{@code latest}): "0", "1234" or a ts; else the given error. */
  static long parse(ApiRequest r, String name, String error) {
    String v = r.param(name).trim();
    // Whole seconds or a ts, nothing else: "1e10000000" would take seconds to expand, under
    // the workspace lock.
    if (!BOUND.matcher(v).matches()) {
      throw new SlackError(error);
    }
    try {
      BigDecimal seconds = new BigDecimal(v);
      return seconds.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new SlackError(error);
    }
  }

  static long cursorTs(String cursor) {
    try {
      long ts = Long.parseLong(cursor.substring(cursor.indexOf(':') + 1));
      if (ts <= 0 || ts == Long.MAX_VALUE) {
        throw new SlackError("invalid_cursor"); // never issued: a ts is positive, and +-1 fits
      }
      return ts;
    } catch (NumberFormatException e) {
      throw new SlackError("invalid_cursor");
    }
  }
}
