package io.slackmq.worker;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process knows about messages, to save calls: in flight here, finished (done, dead, or
 * this worker's ALL record written), this worker's ROLLING turn taken, ALL's local failures. Across
 * workers the marks and thread records decide; this only skips work already known to be moot.
 */
final class LocalState {
  private final BoundedSet finished = new BoundedSet(20_000);
  private final BoundedSet dead = new BoundedSet(20_000);
  private final BoundedSet turnTaken = new BoundedSet(20_000);
  private final Set<String> inflight = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private volatile boolean accepting = true;

  boolean accepting() {
    return accepting;
  }

  void stopAccepting() {
    accepting = false;
  }

  boolean inflight(String key) {
    return inflight.contains(key);
  }

  /** Marks {@code key} in flight; false if it already was. */
  boolean begin(String key) {
    return inflight.add(key);
  }

  void end(String key) {
    inflight.remove(key);
  }

  boolean finished(String key) {
    return finished.contains(key);
  }

  void finish(String key) {
    finished.add(key);
    failures.remove(key);
  }

  /** Finished as dead-lettered: until a redrive takes its dead reaction off ({@link #revive}). */
  void finishDead(String key) {
    finish(key);
    dead.add(key);
  }

  /**
   * Forgets that {@code key} was dead-lettered, if it was: a redrive put it back in the queue. True
   * if it was.
   */
  boolean revive(String key) {
    if (!dead.contains(key)) {
      return false;
    }
    dead.remove(key);
    finished.remove(key);
    return true;
  }

  boolean turnTaken(String key) {
    return turnTaken.contains(key);
  }

  void takeTurn(String key) {
    turnTaken.add(key);
  }

  /** ALL: failed attempts here so far. */
  int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  void failed(String key, int attempts) {
    failures.put(key, attempts);
  }
}
