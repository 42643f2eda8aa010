package io.slackmq.worker;

/**
 * Handles one message a listener matched. Runs on the worker's bounded handler pool.
 *
 * <p>Returning normally means done (ONE: the message is marked done; ALL/ROLLING: this worker's
 * turn is recorded). Throwing releases the message for a retry; after the lock's maxAttempts it is
 * dead-lettered with a visible mark and a thread reply that quotes the exception.
 */
@FunctionalInterface
public interface Handler {
  /** Handles {@code message}; may block (long work should call {@code lease().extend()}). */
  void handle(MessageContext message) throws Exception;
}
