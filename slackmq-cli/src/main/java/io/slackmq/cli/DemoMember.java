package io.slackmq.cli;

import io.slackmq.worker.SlackMQWorker;
import java.util.concurrent.atomic.AtomicInteger;

/** One worker of the demo fleet and what it did. */
final class DemoMember {
  final String id;
  final String app;
  final SlackMQWorker worker;
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger handled = new AtomicInteger();
  volatile boolean killed;

  /** With --chaos: this worker's next job hangs, so that the kill finds it mid-job. */
  volatile boolean doomed;

  final AtomicInteger hung = new AtomicInteger();
  volatile long lastFinishNanos = System.nanoTime();

  DemoMember(String id, String app, SlackMQWorker worker) {
    this.id = id;
    this.app = app;
    this.worker = worker;
  }

  /** A handler's work. */
  interface Job {
    void run() throws Exception;
  }

  /**
   * Runs a handler's job; once its work is done (its reply posted) calls {@code onDone}, whatever
   * happens to the worker next. A doomed member's job hangs until the kill interrupts it.
   */
  void run(Job job, Runnable onDone) throws Exception {
    running.incrementAndGet();
    try {
      if (doomed) {
        hung.incrementAndGet();
        try {
          Thread.sleep(Long.MAX_VALUE); // a hung job, until the kill interrupts it
        } finally {
          hung.decrementAndGet();
        }
      }
      job.run();
      onDone.run();
      handled.incrementAndGet();
    } finally {
      lastFinishNanos = System.nanoTime();
      running.decrementAndGet();
    }
  }
}
