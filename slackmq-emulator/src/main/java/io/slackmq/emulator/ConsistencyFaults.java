package io.slackmq.emulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real Slack's weak consistency (docs/SLACK-FACTS.md, section 12), off by default: reads that lag
 * behind writes per reader and message, posts answered {@code ok} but never stored, and posts
 * stored twice. Read lag is a pure function of (seed, reader, channel, ts), so a message, once
 * visible to a reader, stays visible, and two readers can see different prefixes of a thread.
 * Durations are emulated time (divided by the time scale in real time, as rate limits are).
 */
final class ConsistencyFaults implements Consistency {
  private final FaultStreams streams;
  private final double timeScale;
  private volatile long minLagMicros;
  private volatile long maxLagMicros;
  private volatile Faults.LagDistribution distribution = Faults.LagDistribution.UNIFORM;
  private volatile boolean ownWritesVisible = true;
  private volatile double lostRate;
  private volatile int burstPerSecond;
  private volatile double duplicateRate;
  private final Map<String, long[]> bursts = new ConcurrentHashMap<>();

  ConsistencyFaults(FaultStreams streams, double timeScale) {
    this.streams = streams;
    this.timeScale = timeScale;
  }

  void readLag(long minMicros, long maxMicros, Faults.LagDistribution d) {
    if (minMicros < 0 || maxMicros < minMicros) {
      throw new IllegalArgumentException("read lag: need 0 <= min <= max");
    }
    this.minLagMicros = minMicros;
    this.maxLagMicros = maxMicros;
    this.distribution = d;
  }

  void ownWritesVisible(boolean visible) {
    this.ownWritesVisible = visible;
  }

  void lostPosts(double rate, int burstPerSecond) {
    if (burstPerSecond < 0) {
      throw new IllegalArgumentException("lost post burst must be >= 0, was " + burstPerSecond);
    }
    this.lostRate = rate;
    this.burstPerSecond = burstPerSecond;
  }

  void duplicatePosts(double rate) {
    this.duplicateRate = rate;
  }

  long minLagMicros() {
    return minLagMicros;
  }

  long maxLagMicros() {
    return maxLagMicros;
  }

  Faults.LagDistribution distribution() {
    return distribution;
  }

  boolean ownWritesVisible() {
    return ownWritesVisible;
  }

  double lostRate() {
    return lostRate;
  }

  int burstPerSecond() {
    return burstPerSecond;
  }

  double duplicateRate() {
    return duplicateRate;
  }

  @Override
  public boolean visible(String reader, String channel, Message m, long nowMicros) {
    long max = maxLagMicros;
    if (max == 0 || (ownWritesVisible && reader.equals(m.user))) {
      return true;
    }
    return nowMicros >= m.ts + realMicros(lagMicros(reader, channel, m.ts, max));
  }

  /** This reader's lag on this message, in emulated microseconds: fixed by the seed. */
  long lagMicros(String reader, String channel, long ts, long max) {
    long h = streams.seed();
    h = mix(h ^ reader.hashCode());
    h = mix(h ^ channel.hashCode());
    h = mix(h ^ ts);
    double u = (h >>> 11) * 0x1.0p-53; // uniform in [0, 1)
    long span = max - minLagMicros;
    double f =
        distribution == Faults.LagDistribution.UNIFORM ? u : Math.min(1, -Math.log(1 - u) / 4);
    return minLagMicros + (long) (f * span);
  }

  @Override
  public Fate fate(String channel, long nowMicros) {
    if (lostRate > 0 && streams.draw("post:lost") < lostRate) {
      return Fate.LOST;
    }
    int burst = burstPerSecond;
    if (burst > 0 && aboveBurst(channel, nowMicros, burst)) {
      return Fate.LOST;
    }
    if (duplicateRate > 0 && streams.draw("post:duplicate") < duplicateRate) {
      return Fate.DUPLICATED;
    }
    return Fate.STORED;
  }

  /** Counts posts per channel per real second; beyond {@code burst} the post is dropped. */
  private boolean aboveBurst(String channel, long nowMicros, int burst) {
    long second = nowMicros / 1_000_000L;
    long[] window = bursts.computeIfAbsent(channel, c -> new long[2]);
    synchronized (window) {
      if (window[0] != second) {
        window[0] = second;
        window[1] = 0;
      }
      return ++window[1] > burst;
    }
  }

  private long realMicros(long emulatedMicros) {
    return (long) (emulatedMicros / timeScale);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  void clear() {
    minLagMicros = 0;
    maxLagMicros = 0;
    distribution = Faults.LagDistribution.UNIFORM;
    ownWritesVisible = true;
    lostRate = 0;
    burstPerSecond = 0;
    duplicateRate = 0;
    bursts.clear();
  }
}
