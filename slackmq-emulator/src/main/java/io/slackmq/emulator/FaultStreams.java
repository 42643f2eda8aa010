package io.slackmq.emulator;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** The seeded random streams every fault family draws from: one {@link Random} per name. */
final class FaultStreams {
  private volatile long seed;
  private final Map<String, Random> streams = new ConcurrentHashMap<>();

  FaultStreams(long seed) {
    this.seed = seed;
  }

  long seed() {
    return seed;
  }

  /** Restarts every stream from this seed. */
  void reseed(long seed) {
    this.seed = seed;
    streams.clear();
  }

  /** Restarts every stream from the current seed. */
  void restart() {
    streams.clear();
  }

  /** The next uniform [0,1) draw of one named stream. */
  double draw(String stream) {
    Random r = streams.computeIfAbsent(stream, s -> new Random(seed * 31 + s.hashCode()));
    synchronized (r) {
      return r.nextDouble();
    }
  }
}
