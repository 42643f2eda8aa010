package io.slackmq.worker;

import java.util.LinkedHashMap;
import java.util.Map;

/** A set that forgets its oldest keys beyond a capacity (for dedup). Thread-safe. */
final class BoundedSet {
  private final Map<String, Boolean> keys;

  BoundedSet(int capacity) {
    this.keys =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Adds {@code key}; false if it was already present. */
  synchronized boolean add(String key) {
    return keys.put(key, Boolean.TRUE) == null;
  }

  synchronized boolean contains(String key) {
    return keys.containsKey(key);
  }

  synchronized void remove(String key) {
    keys.remove(key);
  }
}
