package io.slackmq.worker;

/** Something that feeds messages to {@link Admission}: started and stopped by the worker. */
interface EventSource {
  /** Starts delivering; throws if it cannot (the worker then fails to start). */
  void start() throws Exception;

  /** Stops delivering; idempotent, never throws. */
  void stop();

  /** Why this source cannot deliver now (for readiness), or null when it can. Cheap; no call. */
  default String problem() {
    return null;
  }
}
