package io.slackmq.emulator;

/** Event delivery faults: a delayed first attempt and duplicated deliveries. */
final class EventFaults {
  private final FaultStreams streams;
  private volatile long delayMillis;
  private volatile long jitterMillis;
  private volatile double duplicateRate;

  EventFaults(FaultStreams streams) {
    this.streams = streams;
  }

  void delay(long fixedMillis, long jitterMillis) {
    this.delayMillis = fixedMillis;
    this.jitterMillis = jitterMillis;
  }

  long fixedDelayMillis() {
    return delayMillis;
  }

  long jitterMillis() {
    return jitterMillis;
  }

  void duplicateRate(double rate) {
    duplicateRate = rate;
  }

  double duplicateRate() {
    return duplicateRate;
  }

  /** Real milliseconds to hold an event before its first attempt. */
  long nextDelayMillis() {
    if (delayMillis == 0 && jitterMillis == 0) {
      return 0;
    }
    long jitter = jitterMillis == 0 ? 0 : (long) (streams.draw("event:delay") * jitterMillis);
    return delayMillis + jitter;
  }

  boolean duplicateEvent() {
    return duplicateRate > 0 && streams.draw("event:duplicate") < duplicateRate;
  }

  void clear() {
    delayMillis = 0;
    jitterMillis = 0;
    duplicateRate = 0;
  }
}
