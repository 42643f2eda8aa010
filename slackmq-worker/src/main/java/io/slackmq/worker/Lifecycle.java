package io.slackmq.worker;

import io.slackmq.worker.SlackMQWorker.State;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's states and their transitions, in the style of Guava's {@code Service}: NEW →
 * STARTING → RUNNING → STOPPING → TERMINATED, or STARTING → FAILED with its cause. A stop or kill
 * during a start waits for the start to end. Thread-safe.
 */
final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final String name;
  private final Object lock = new Object();
  private final CountDownLatch startEnded = new CountDownLatch(1);
  private volatile State state = State.NEW;
  private volatile Throwable failure;

  Lifecycle(String name) {
    this.name = name;
  }

  State state() {
    return state;
  }

  Throwable failure() {
    return failure;
  }

  /** NEW → STARTING. @throws IllegalStateException in any other state */
  void starting() {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException(name + " is " + state + "; start() needs NEW");
      }
      state = State.STARTING;
    }
  }

  /** STARTING → RUNNING. */
  void running() {
    state = State.RUNNING;
    startEnded.countDown();
  }

  /** STARTING → FAILED, keeping {@code cause}. */
  void failed(Throwable cause) {
    failure = cause;
    state = State.FAILED;
    startEnded.countDown();
  }

  /**
   * Any state short of the end → FAILED with {@code cause}, for an error the worker cannot go on
   * after; false if it had already ended (TERMINATED or FAILED).
   */
  boolean failedWhileRunning(Throwable cause) {
    synchronized (lock) {
      if (state == State.TERMINATED || state == State.FAILED) {
        return false;
      }
      failure = cause;
      state = State.FAILED;
    }
    startEnded.countDown();
    return true;
  }

  /** NEW → TERMINATED; false (nothing changed) in any other state. */
  boolean terminateIfNew() {
    synchronized (lock) {
      if (state != State.NEW) {
        return false;
      }
      state = State.TERMINATED;
      return true;
    }
  }

  /**
   * Waits up to {@code nanos} for a start in progress, then RUNNING → STOPPING; false if it is not
   * running (already stopping or stopped, failed, or still starting).
   */
  boolean stopping(long nanos) {
    awaitStartEnded(nanos);
    synchronized (lock) {
      if (state != State.RUNNING) {
        return false;
      }
      state = State.STOPPING;
      return true;
    }
  }

  /** As {@link #stopping} but from any state short of the end: a kill does not ask. */
  boolean killing(long nanos) {
    awaitStartEnded(nanos);
    synchronized (lock) {
      if (state == State.TERMINATED || state == State.FAILED) {
        return false;
      }
      state = State.STOPPING;
      return true;
    }
  }

  /** STOPPING → TERMINATED. */
  void terminated() {
    state = State.TERMINATED;
  }

  private void awaitStartEnded(long nanos) {
    try {
      if (state == State.STARTING && !startEnded.await(Math.max(0, nanos), TimeUnit.NANOSECONDS)) {
        log.warn("{} is still starting; stop() gives up waiting for it", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
