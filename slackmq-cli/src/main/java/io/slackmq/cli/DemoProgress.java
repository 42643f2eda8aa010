package io.slackmq.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** The demo's progress: a one-line progress bar on a terminal; a line per quarter otherwise. */
final class DemoProgress {
  private final PrintWriter err;
  private final int total;
  private final boolean terminal = System.console() != null;
  private int lastQuarter = -1;
  private boolean drawn;

  DemoProgress(PrintWriter err, int total) {
    this.err = err;
    this.total = total;
  }

  void show(int done, long elapsedNanos) {
    int shown = Math.min(done, total);
    if (terminal) {
      int width = 30;
      int filled = shown * width / total;
      err.printf(
          Locale.ROOT,
          "\r  [%s%s] %d/%d handled  %.1f s ",
          "#".repeat(filled),
          "-".repeat(width - filled),
          shown,
          total,
          elapsedNanos / 1e9);
      drawn = true;
    } else if (shown * 4 / total > lastQuarter) {
      lastQuarter = shown * 4 / total;
      err.printf(Locale.ROOT, "  %d/%d handled (%.1f s)%n", shown, total, elapsedNanos / 1e9);
    }
    err.flush();
  }

  void note(String text) {
    if (drawn) {
      err.println();
      drawn = false;
    }
    err.println("  " + text);
    err.flush();
  }

  void finish() {
    if (drawn) {
      err.println();
    }
    err.flush();
  }
}
