package io.slackmq.emulator;

import io.slackmq.emulator.Faults.DisconnectReason;

/** Socket Mode faults: refused and dropped connections, and scheduled disconnects. */
final class SocketFaults {
  private final FaultStreams streams;
  private volatile double refuseRate;
  private volatile double dropRate;
  private volatile long disconnectEveryMillis;
  private volatile DisconnectReason scheduledReason = DisconnectReason.REFRESH_REQUESTED;

  SocketFaults(FaultStreams streams) {
    this.streams = streams;
  }

  void refuseRate(double rate) {
    refuseRate = rate;
  }

  double refuseRate() {
    return refuseRate;
  }

  void dropRate(double rate) {
    dropRate = rate;
  }

  double dropRate() {
    return dropRate;
  }

  void disconnectEvery(long millis, DisconnectReason reason) {
    disconnectEveryMillis = millis;
    scheduledReason = reason;
  }

  long disconnectEveryMillis() {
    return disconnectEveryMillis;
  }

  DisconnectReason scheduledReason() {
    return scheduledReason;
  }

  boolean refuseConnection() {
    return refuseRate > 0 && streams.draw("socket:refuse") < refuseRate;
  }

  boolean dropBeforeSend() {
    return dropRate > 0 && streams.draw("socket:drop") < dropRate;
  }

  void clear() {
    refuseRate = 0;
    dropRate = 0;
    disconnectEveryMillis = 0;
    scheduledReason = DisconnectReason.REFRESH_REQUESTED;
  }
}
