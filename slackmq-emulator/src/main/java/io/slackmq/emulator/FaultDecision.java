package io.slackmq.emulator;

/**
 * What the fault hook decides for one Web API call; {@link WebApi} applies it. The hook never
 * touches the HTTP exchange itself.
 */
sealed interface FaultDecision {
  /** Run the call normally. */
  FaultDecision PROCEED = new Proceed();

  /** Run the call normally. */
  record Proceed() implements FaultDecision {}

  /** Answer {@code {"ok":false,"error":error}} with this HTTP status instead of running. */
  record Fail(int status, String error) implements FaultDecision {}

  /** Hold the request for {@code millis} of real time, then apply {@code then}. */
  record Delay(long millis, FaultDecision then) implements FaultDecision {}
}
