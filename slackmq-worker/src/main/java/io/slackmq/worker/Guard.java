package io.slackmq.worker;

import org.slf4j.Logger;

/**
 * Keeps a scheduled task on its schedule: a periodic task that throws is cancelled for good by its
 * {@code ScheduledExecutorService}, silently. Anything short of a JVM error it cannot survive (out
 * of memory, an internal error) is logged with the task's name and the task runs again next time; a
 * stack overflow is survivable and counts as a failure like any other.
 */
final class Guard {
  private Guard() {}

  static Runnable of(Logger log, String task, Runnable body) {
    return () -> {
      try {
        body.run();
      } catch (VirtualMachineError e) {
        if (!(e instanceof StackOverflowError)) {
          throw e;
        }
        log.error("{} failed (stack overflow); it runs again as scheduled", task, e);
      } catch (RuntimeException | Error e) {
        log.error("{} failed; it runs again as scheduled", task, e);
      }
    };
  }
}
