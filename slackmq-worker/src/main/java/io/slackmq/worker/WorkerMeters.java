package io.slackmq.worker;

/**
 * What the worker tells its meters. Free of Micrometer types, so that a worker built without a
 * registry never loads Micrometer (an optional dependency); {@link MicrometerWorkerMeters} records.
 */
interface WorkerMeters {
  WorkerMeters NONE = new WorkerMeters() {};

  /** A message came in from {@code transport}; {@code duplicate} if it was dropped as seen. */
  default void received(String transport, boolean duplicate) {}

  /** A handler of {@code listener} ran for {@code nanos} and ended with {@code result}. */
  default void job(String listener, String result, long nanos) {}
}
