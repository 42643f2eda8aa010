package io.slackmq.emulator;

import java.util.regex.Pattern;

/** Slack's message timestamp: {@code "<epoch seconds>.<6 digits>"}, kept as microseconds. */
final class Ts {
  private static final Pattern FORMAT = Pattern.compile("\\d{1,12}\\.\\d{6}");

  private Ts() {}

  static String format(long micros) {
    long seconds = micros / 1_000_000L;
    long fraction = micros % 1_000_000L;
    StringBuilder sb = new StringBuilder(18).append(seconds).append('.');
    String f = Long.toString(fraction);
    for (int i = f.length(); i < 6; i++) {
      sb.append('0');
    }
    return sb.append(f).toString();
  }

  /** Parses a ts, or throws {@code bad_timestamp}. */
  static long parse(String ts) {
    if (ts == null || !FORMAT.matcher(ts).matches()) {
      throw new SlackError("bad_timestamp");
    }
    int dot = ts.indexOf('.');
    return Long.parseLong(ts.substring(0, dot)) * 1_000_000L
        + Long.parseLong(ts.substring(dot + 1));
  }

  /**
   * Like {@link #parse}, but for the lenient {@code oldest}/{@code latest} bounds (may be "0" or
   * "1234").
   */
  static long parseBound(String value, long fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Math.round(Double.parseDouble(value) * 1_000_000.0);
    } catch (NumberFormatException e) {
      throw new SlackError("invalid_ts_latest".equals(value) ? value : "invalid_arguments");
    }
  }
}
