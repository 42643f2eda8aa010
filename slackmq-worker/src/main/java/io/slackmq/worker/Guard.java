package io.slackmq.worker;

import org.slf4j.Logger;

/**
 * Keeps a scheduled task on its schedule: a periodic task that throws is cancelled for good by its
 * {@code ScheduledExecutorService}, silently. Anything short of a JVM error it cannot survive is
 * logged with the task's name, counted in {@link Vitals} (repeated failures make the worker
 * unhealthy), and the task runs again next time; a stack overflow is survivable and counts as a
 * failure like any other. A fatal JVM error fails the worker ({@link Vitals#fatal}) instead of
 * vanishing with the task.
 */
final class Guard {
  private Guard() {}

  /**
   * A JVM error after which nothing in this process can be trusted to work (not a stack overflow).
   */
  static boolean fatal(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }

  /**
   * Runs {@code body} for each channel: a Slack error is logged as {@code what} of that channel and
   * the round goes on; an unexpected failure lets the other channels have their round, then is
   * thrown, so that the guard around the task logs it and counts it.
   */
  static void perChannel(
      Logger log,
      String what,
      Iterable<String> channels,
      java.util.function.Consumer<String> body) {
    RuntimeException failure = null;
    for (String channel : channels) {
      try {
        body.accept(channel);
      } catch (io.slackmq.core.SlackMQException e) {
        log.warn("{} of {} failed: {} ({})", what, channel, e.error(), e.hint());
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  static Runnable of(Logger log, Vitals vitals, String task, Runnable body) {
    return () -> {
      try {
        body.run();
        vitals.ran(task);
      } catch (RuntimeException | Error e) {
        if (fatal(e)) {
          log.error("{} hit a fatal JVM error: the worker fails", task, e);
          vitals.fatal(e);
          throw e;
        }
        vitals.failed(task, e);
        log.error("{} failed; it runs again as scheduled", task, e);
      }
    };
  }
}
