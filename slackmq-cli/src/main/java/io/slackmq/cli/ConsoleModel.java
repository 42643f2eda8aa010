package io.slackmq.cli;

import com.slack.api.model.Message;
import io.slackmq.cli.ConsoleView.Entry;
import io.slackmq.cli.ConsoleView.MessageView;
import io.slackmq.cli.ConsoleView.Reaction;
import io.slackmq.cli.ConsoleView.WorkerView;
import io.slackmq.core.MessageState;
import io.slackmq.core.Records;
import io.slackmq.core.Ts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The console's picture of the channel: the newest messages (at most the window's limit), what
 * {@code conversations.history} says of each (pins, reactions, replies) and what the last read of
 * its thread said (core's verdict and the ledger). Bounded: a message that leaves the window is
 * forgotten, a thread keeps its newest {@link #MAX_TIMELINE} entries, and the workers are those
 * seen in the window's threads. Used from the console's one reader thread.
 */
final class ConsoleModel {
  static final int MAX_TIMELINE = 40;
  static final int MAX_WORKERS = 64;
  static final int MAX_TEXT = 200;

  /** The marks the workers use: lock reaction, done and dead reactions. */
  record Emoji(String lock, String done, String dead) {}

  private static final class Tracked {
    final String ts;
    final boolean initial;
    Message message;
    MessageState state;
    List<Entry> timeline = List.of();
    int omitted;
    String error;

    /** What the channel showed of the message when its thread was last read. */
    String readKey;

    long readSeq;

    Tracked(String ts, boolean initial) {
      this.ts = ts;
      this.initial = initial;
    }
  }

  private final int limit;
  private final Emoji emoji;
  private final UnaryOperator<String> names;
  private final Map<String, Tracked> byTs = new HashMap<>();
  private boolean loaded;
  private long reads;

  /** {@code names}: an app, bot or person's name by id (the id itself when unknown). */
  ConsoleModel(int limit, Emoji emoji, UnaryOperator<String> names) {
    this.limit = limit;
    this.emoji = emoji;
    this.names = names;
  }

  /** Takes the channel's newest messages (newest first); the others leave the window. */
  void history(List<Message> newestFirst) {
    Set<String> keep = new HashSet<>();
    for (Message m : newestFirst) {
      if (keep.size() >= limit) {
        break;
      }
      if (m.getTs() == null || !Ts.valid(m.getTs()) || !isTask(m)) {
        continue;
      }
      keep.add(m.getTs());
      byTs.computeIfAbsent(m.getTs(), ts -> new Tracked(ts, !loaded)).message = m;
    }
    byTs.keySet().retainAll(keep);
    loaded = true;
  }

  /** Whether a message is one the queue sees: joins, pins and other system messages are not. */
  private static boolean isTask(Message m) {
    return m.getSubtype() == null || "bot_message".equals(m.getSubtype());
  }

  /**
   * The {@code n} messages whose threads most need a read: never read (newest first), then those
   * whose pins, reactions or replies changed since their last read (longest ago first). A message
   * unchanged since its last read is not read again: its state then changes only with time (a lease
   * running out), which the console tells without Slack.
   */
  List<String> toRead(int n) {
    return byTs.values().stream()
        .filter(t -> t.readKey == null || !t.readKey.equals(key(t.message)))
        .sorted(
            Comparator.comparing((Tracked t) -> t.readKey != null)
                .thenComparing(t -> t.readKey == null ? -Ts.parse(t.ts) : t.readSeq))
        .limit(n)
        .map(t -> t.ts)
        .toList();
  }

  /** Takes a read of a message's thread: core's verdict and the thread itself (parent first). */
  void thread(String ts, MessageState state, List<Message> thread) {
    Tracked t = byTs.get(ts);
    if (t == null) {
      return; // it left the window meanwhile
    }
    t.state = state;
    t.error = null;
    t.readKey = key(t.message);
    t.readSeq = ++reads;
    List<Entry> entries = new ArrayList<>();
    Message parent = thread.isEmpty() ? t.message : thread.get(0);
    for (Message r : thread) {
      if (!ts.equals(r.getTs())) {
        entries.add(entry(parent, r));
      }
    }
    t.omitted = Math.max(0, entries.size() - MAX_TIMELINE);
    t.timeline = List.copyOf(entries.subList(t.omitted, entries.size()));
  }

  /** A read of a message's thread failed: shown on the message until a read works. */
  void readFailed(String ts, String error) {
    Tracked t = byTs.get(ts);
    if (t != null) {
      t.error = error;
      t.readSeq = ++reads; // others go first next time
    }
  }

  private Entry entry(Message parent, Message r) {
    String app = names.apply(r.getBotId() != null ? r.getBotId() : r.getUser());
    Message.Metadata md = r.getMetadata();
    if (r.getBotId() != null && md != null && md.getEventType() != null) {
      String type = md.getEventType();
      if (type.startsWith("slackmq_")) {
        Object worker = md.getEventPayload() == null ? null : md.getEventPayload().get("worker");
        return new Entry(
            type.substring("slackmq_".length()),
            Objects.toString(worker, null),
            app,
            r.getTs(),
            null);
      }
    }
    if (r.getBotId() != null) {
      for (Records.Kind kind : Records.Kind.values()) {
        Set<String> w = Records.workers(List.of(parent, r), kind);
        if (!w.isEmpty()) {
          String op = kind == Records.Kind.HANDLED ? "handled" : "rolled";
          return new Entry(op, w.iterator().next(), app, r.getTs(), null);
        }
      }
    }
    return new Entry("reply", app, app, r.getTs(), trim(r.getText(), 80));
  }

  /** The messages as the page shows them at {@code nowMillis}, newest first. */
  List<MessageView> messages(long nowMillis) {
    return byTs.values().stream()
        .sorted(Comparator.comparingLong((Tracked t) -> Ts.parse(t.ts)).reversed())
        .map(t -> view(t, nowMillis))
        .toList();
  }

  /** Whether {@code ts} was in the channel when the console first read it (not new since). */
  boolean initial(String ts) {
    Tracked t = byTs.get(ts);
    return t != null && t.initial;
  }

  private MessageView view(Tracked t, long now) {
    Message m = t.message;
    List<Reaction> reactions = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (m.getReactions() != null) {
      for (var r : m.getReactions()) {
        reactions.add(new Reaction(r.getName(), r.getCount() == null ? 1 : r.getCount()));
        names.add(r.getName());
      }
    }
    boolean pinned = m.getPinnedTo() != null && !m.getPinnedTo().isEmpty();
    boolean fresh = t.state != null && t.readKey.equals(key(m));
    MessageState s = t.state;
    String holder = holder(s);
    Long since = null;
    Long expires = null;
    String state;
    String reason = null;
    if (s instanceof MessageState.Held h) {
      since = h.since().toEpochMilli();
      expires = h.expires().toEpochMilli();
    } else if (s instanceof MessageState.Expired e) {
      since = e.since().toEpochMilli();
      expires = e.expiredAt().toEpochMilli();
    }
    if (names.contains(emoji.done()) || s instanceof MessageState.Done) {
      state = "done";
    } else if (names.contains(emoji.dead()) || s instanceof MessageState.DeadLettered) {
      state = "dead";
      reason = s instanceof MessageState.DeadLettered d ? d.reason() : null;
    } else if (!fresh && (pinned || names.contains(emoji.lock()))) {
      state = "held"; // marked since the last read: a claim is on its way
    } else if (s instanceof MessageState.Held || s instanceof MessageState.Expired) {
      state = expires != null && expires < now ? "expired" : "held";
    } else {
      state = "waiting";
    }
    List<Entry> timeline = t.timeline;
    if (state.equals("done")) {
      timeline = new ArrayList<>(timeline);
      timeline.add(new Entry("done", holder, null, null, null));
    }
    String user = names(m.getBotId() != null ? m.getBotId() : m.getUser());
    return new MessageView(
        t.ts,
        trim(m.getText(), MAX_TEXT),
        user,
        state,
        state.equals("waiting") ? null : holder,
        since,
        expires,
        s == null ? 0 : s.attempts(),
        reason,
        pinned,
        reactions,
        m.getReplyCount() == null ? 0 : m.getReplyCount(),
        t.state != null,
        timeline,
        t.omitted,
        t.error);
  }

  private String names(String id) {
    return id == null ? null : names.apply(id);
  }

  /** The workers seen in the window's threads, most recently seen first. */
  List<WorkerView> workers(List<MessageView> messages) {
    Map<String, String> app = new HashMap<>();
    Map<String, Long> lastSeen = new HashMap<>();
    Map<String, Integer> holding = new TreeMap<>();
    Map<String, List<String>> done = new HashMap<>();
    for (MessageView v : messages) {
      for (Entry e : v.timeline()) {
        if (e.ts() != null && e.worker() != null && !e.op().equals("reply")) {
          app.putIfAbsent(e.worker(), e.app());
          lastSeen.merge(e.worker(), Ts.parse(e.ts()) / 1000, Math::max);
        }
      }
      if (v.holder() != null && lastSeen.containsKey(v.holder())) {
        if (v.state().equals("held")) {
          holding.merge(v.holder(), 1, Integer::sum);
        } else if (v.state().equals("done")) {
          done.computeIfAbsent(v.holder(), k -> new ArrayList<>()).add(v.text()); // newest first
        }
      }
    }
    return lastSeen.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(MAX_WORKERS)
        .map(
            e -> {
              List<String> d = done.getOrDefault(e.getKey(), List.of());
              return new WorkerView(
                  e.getKey(),
                  app.get(e.getKey()),
                  e.getValue(),
                  holding.getOrDefault(e.getKey(), 0),
                  d.size(),
                  List.copyOf(d.subList(0, Math.min(5, d.size()))));
            })
        .toList();
  }

  /** Messages by state. */
  static Map<String, Integer> counts(List<MessageView> messages) {
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    for (String s : new String[] {"waiting", "held", "expired", "done", "dead"}) {
      counts.put(s, 0);
    }
    messages.forEach(v -> counts.merge(v.state(), 1, Integer::sum));
    return counts;
  }

  private static String holder(MessageState s) {
    String h = StatusCommand.holder(s);
    // Marked with no claim in the thread yet: core names the holder "unknown".
    return s instanceof MessageState.Held && s.attempts() == 0 && "unknown".equals(h) ? null : h;
  }

  /** What the channel shows of a message that a thread read can change: replies, pins, marks. */
  private static String key(Message m) {
    StringBuilder k = new StringBuilder();
    k.append(m.getReplyCount()).append('|').append(m.getLatestReply()).append('|');
    k.append(m.getPinnedTo() != null && !m.getPinnedTo().isEmpty()).append('|');
    if (m.getReactions() != null) {
      m.getReactions()
          .forEach(r -> k.append(r.getName()).append(':').append(r.getCount()).append(','));
    }
    return k.toString();
  }

  private static String trim(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() > max ? text.substring(0, max - 1) + "…" : text;
  }
}
