package io.slackmq.emulator;

/** Event delivery faults: a delayed first attempt, late (reordered) and duplicated deliveries. */
final class EventFaults {
  private final FaultStreams streams;
  private volatile long delayMillis;
  private volatile long jitterMillis;
  private volatile double duplicateRate;
  private volatile double lateRate;
  private volatile long lateMaxMillis;

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

  void late(double rate, long maxMillis) {
    this.lateRate = rate;
    this.lateMaxMillis = maxMillis;
  }

  double lateRate() {
    return lateRate;
  }

  long lateMaxMillis() {
    return lateMaxMillis;
  }

  void duplicateRate(double rate) {
    duplicateRate = rate;
  }

  double duplicateRate() {
    return duplicateRate;
  }

  /** Real milliseconds to hold an event before its first attempt. */
  long nextDelayMillis() {
    long late =
        lateRate > 0 && streams.draw("event:late") < lateRate
            ? (long) (streams.draw("event:lateDelay") * lateMaxMillis)
            : 0;
    if (delayMillis == 0 && jitterMillis == 0) {
      return late;
    }
    long jitter = jitterMillis == 0 ? 0 : (long) (streams.draw("event:delay") * jitterMillis);
    return delayMillis + jitter + late;
  }

  boolean duplicateEvent() {
    return duplicateRate > 0 && streams.draw("event:duplicate") < duplicateRate;
  }

  void clear() {
    delayMillis = 0;
    jitterMillis = 0;
    duplicateRate = 0;
    lateRate = 0;
    lateMaxMillis = 0;
  }
}
