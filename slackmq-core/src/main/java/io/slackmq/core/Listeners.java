package io.slackmq.core;

import java.time.Duration;
import java.util.List;

/** Several {@link SlackApi.Listener}s told as one, in order. */
record Listeners(List<SlackApi.Listener> all) implements SlackApi.Listener {
  static SlackApi.Listener of(List<SlackApi.Listener> listeners) {
    return listeners.size() == 1 ? listeners.get(0) : new Listeners(List.copyOf(listeners));
  }

  @Override
  public void attempted(String method) {
    all.forEach(l -> l.attempted(method));
  }

  @Override
  public void rateLimited(String method, Duration wait) {
    all.forEach(l -> l.rateLimited(method, wait));
  }

  @Override
  public void answered(String method, String error) {
    all.forEach(l -> l.answered(method, error));
  }
}
