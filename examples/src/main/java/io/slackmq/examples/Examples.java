package io.slackmq.examples;

import java.util.List;

/** What every example's main does the same way: pick the workspace, run, stop cleanly. */
final class Examples {
  private Examples() {}

  /** The real workspace from the environment, or null for the local Slack; exits 2 if half set. */
  static SlackEnv workspaceOrExit() {
    try {
      return SlackEnv.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null; // not reached
    }
  }

  /**
   * Serves until the JVM is told to stop (Ctrl-C, SIGTERM), then stops the worker, which gives back
   * any message it holds instead of leaving it locked until its lease expires.
   */
  static void runUntilCtrlC(AutoCloseable worker, String banner) throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(List.of(worker))));
    System.out.println(banner);
    Thread.currentThread().join(); // the worker's threads do the work; main only waits
  }

  /** Closes each, even when one fails (a stop must not leave the others running). */
  static void closeAll(List<AutoCloseable> workers) {
    for (AutoCloseable w : workers) {
      try {
        w.close();
      } catch (Exception e) {
        System.err.println("stopping a worker: " + e);
      }
    }
  }
}
