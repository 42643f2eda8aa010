package io.slackmq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.slackmq.cli.ConsoleView.MessageView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pages connected to the console (server-sent events): each gets the whole view when it
 * connects ({@code snapshot}), then per refresh an {@code update} with only the messages that
 * changed and those that left the window. Bounded: at most {@link #MAX_CLIENTS} pages, each with at
 * most {@link #QUEUE} events waiting on its own sender thread; a page that falls that far behind is
 * disconnected (its EventSource reconnects and starts again from a snapshot), so a stuck tab never
 * holds the others up or fills the server's memory.
 */
final class ConsoleClients {
  static final int MAX_CLIENTS = 8;
  static final int QUEUE = 16;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Client> clients = new ArrayList<>();
  private ConsoleView last;
  private Map<String, MessageView> sent = Map.of();

  private record Client(SseClient sse, ThreadPoolExecutor sender) {
    void send(String event, String json) {
      sender.execute(() -> sse.sendEvent(event, json));
    }

    void close() {
      sender.shutdownNow();
      sse.close();
    }
  }

  /** The last whole view (null before the first refresh). */
  synchronized ConsoleView last() {
    return last;
  }

  /** How many pages are connected. */
  synchronized int size() {
    return clients.size();
  }

  /** Takes a refresh's whole view and sends every page what changed. */
  synchronized void publish(ConsoleView view) {
    Map<String, MessageView> now = new HashMap<>();
    List<MessageView> changed = new ArrayList<>();
    for (MessageView m : view.messages()) {
      now.put(m.ts(), m);
      if (!m.equals(sent.get(m.ts()))) {
        changed.add(m);
      }
    }
    List<String> removed = sent.keySet().stream().filter(ts -> !now.containsKey(ts)).toList();
    last = view;
    sent = now;
    if (clients.isEmpty()) {
      return;
    }
    String json = json(withMessages(view, "update", changed, removed));
    for (Client c : List.copyOf(clients)) {
      try {
        c.send("update", json);
      } catch (RejectedExecutionException e) {
        drop(c); // too far behind
      }
    }
  }

  /** A page connects: it gets the whole view, then the updates; refused beyond the cap. */
  synchronized void add(SseClient sse) {
    if (clients.size() >= MAX_CLIENTS) {
      sse.sendEvent("busy", "{\"error\":\"too many pages open on this console\"}");
      sse.close();
      return;
    }
    ThreadPoolExecutor sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "slackmq-console-sse");
              t.setDaemon(true);
              return t;
            });
    Client c = new Client(sse, sender);
    clients.add(c);
    sse.onClose(() -> remove(c));
    if (last != null) {
      c.send("snapshot", json(last));
    }
  }

  private synchronized void remove(Client c) {
    clients.remove(c);
    c.sender().shutdownNow();
  }

  private void drop(Client c) {
    clients.remove(c);
    c.close();
  }

  /** Disconnects every page. */
  synchronized void close() {
    List.copyOf(clients).forEach(this::drop);
  }

  static ConsoleView withMessages(
      ConsoleView v, String type, List<MessageView> messages, List<String> removed) {
    return new ConsoleView(
        type,
        v.channel(),
        v.local(),
        v.controls(),
        v.person(),
        v.timeScale(),
        v.tickMillis(),
        v.now(),
        messages,
        removed,
        v.counts(),
        v.workers(),
        v.sockets(),
        v.apps(),
        v.faults(),
        v.series(),
        v.bucketMillis(),
        v.api(),
        v.console(),
        v.error());
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the console's view: " + e.getMessage(), e);
    }
  }
}
