package io.slackmq.bench;

/**
 * Percentiles of sorted samples, by nearest rank (the smallest sample with at least a fraction p of
 * the samples at or below it): one rule for every benchmark's p50 and p99.
 */
final class Percentiles {
  private Percentiles() {}

  /** The p-th (0 < p <= 1) of {@code sorted}, ascending; NaN when there is none. */
  static double of(double[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[rank(sorted.length, p)];
  }

  /** The p-th (0 < p <= 1) of {@code sortedNanos}, ascending, in milliseconds; NaN for none. */
  static double millis(long[] sortedNanos, double p) {
    return sortedNanos.length == 0 ? Double.NaN : sortedNanos[rank(sortedNanos.length, p)] / 1e6;
  }

  private static int rank(int n, double p) {
    int index = (int) Math.ceil(p * n) - 1;
    return Math.max(0, Math.min(n - 1, index));
  }
}
