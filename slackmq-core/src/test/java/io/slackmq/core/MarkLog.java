package io.slackmq.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every lock-mark call of the racing workers, with its [start, end] on the machine's monotonic
 * clock, so that double wins of the race window can be proven from the outside: two {@code ok}
 * answers to pins.add (or reactions.add / stars.add by one user) on one message with no removal
 * call anywhere near them mean that both callers "won" the same exclusive mark.
 *
 * <p>Sound, not complete: a pair counts only if no removal of that mark was in flight between the
 * first call's start and the second call's end (padded by {@link #REMOVAL_PAD_NANOS}, since a
 * removal held by the emulator's timeout fault applies after its caller gave up).
 *
 * <p>On Linux {@link System#nanoTime()} is CLOCK_MONOTONIC, shared by every process on the machine,
 * so logs of separate JVMs merge ({@link ProcessTest} checks that assumption).
 */
final class MarkLog {
  static final long REMOVAL_PAD_NANOS = 2_000_000_000L;

  /** One call: {@code added} (an ok answer to an add) or a removal attempt. */
  record Event(String key, boolean added, long start, long end) {
    String line() {
      return "M " + key + " " + (added ? "added" : "removed") + " " + start + " " + end;
    }

    static Event parse(String line) {
      String[] p = line.trim().split(" ");
      return new Event(p[1], p[2].equals("added"), Long.parseLong(p[3]), Long.parseLong(p[4]));
    }
  }

  private final Collection<Event> events = new ConcurrentLinkedQueue<>();

  void add(Event e) {
    events.add(e);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** The mark's identity: a pin is one per message; a reaction or star is one per user. */
  static String key(String ts, Strategy.Mark mark, String user) {
    return ts + "/" + mark + (mark == Strategy.Mark.PIN ? "" : "/" + user);
  }

  /** Pairs of ok answers on one mark that no removal separates: proven double wins. */
  static int doubleWins(Collection<Event> events) {
    Map<String, List<Event>> added = new HashMap<>();
    Map<String, List<Event>> removed = new HashMap<>();
    for (Event e : events) {
      (e.added() ? added : removed).computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
    }
    int wins = 0;
    for (Map.Entry<String, List<Event>> byKey : added.entrySet()) {
      List<Event> adds = new ArrayList<>(byKey.getValue());
      adds.sort(Comparator.comparingLong(Event::start));
      List<Event> removals = removed.getOrDefault(byKey.getKey(), List.of());
      for (int i = 1; i < adds.size(); i++) {
        long from = adds.get(i - 1).start();
        long to = Math.max(adds.get(i - 1).end(), adds.get(i).end());
        boolean separated =
            removals.stream().anyMatch(r -> r.start() <= to && r.end() + REMOVAL_PAD_NANOS >= from);
        if (!separated) {
          wins++;
        }
      }
    }
    return wins;
  }

  /** A port that logs the lock-mark calls of {@code real} (made as {@code user}) here. */
  SlackPort recording(SlackPort real, String user) {
    return new SlackPort() {
      @Override
      public Added addMark(String channel, String ts, Strategy.Mark mark, String emoji) {
        long start = System.nanoTime();
        Added a = real.addMark(channel, ts, mark, emoji);
        if (a == Added.ADDED && isLockMark(mark, emoji)) {
          add(new Event(key(ts, mark, user), true, start, System.nanoTime()));
        }
        return a;
      }

      @Override
      public void removeMark(String channel, String ts, Strategy.Mark mark, String emoji) {
        long start = System.nanoTime();
        try {
          real.removeMark(channel, ts, mark, emoji);
        } finally {
          if (isLockMark(mark, emoji)) {
            add(new Event(key(ts, mark, user), false, start, System.nanoTime()));
          }
        }
      }

      private boolean isLockMark(Strategy.Mark mark, String emoji) {
        return mark != Strategy.Mark.REACTION || emoji.equals("lock");
      }

      @Override
      public String postReply(String channel, String threadTs, Ledger.Post post) {
        return real.postReply(channel, threadTs, post);
      }

      @Override
      public void deleteReply(String channel, String ts) {
        real.deleteReply(channel, ts);
      }

      @Override
      public ThreadRead readThread(String channel, String ts) {
        return real.readThread(channel, ts);
      }

      @Override
      public ApiCalls calls() {
        return real.calls();
      }
    };
  }

  /** {@code client} with its lock-mark calls logged here. */
  LockClient record(LockClient client, String user) {
    return new LockClient(client.settings, recording(client.slack, user));
  }
}
