package io.slackmq.cli;

import java.util.List;
import java.util.Map;

/**
 * What the console's page shows, as the values it is sent in (JSON through Jackson). A page gets a
 * whole {@code ConsoleView} when it connects, then an update per refresh with only the messages
 * that changed. Nothing here holds a token or a secret.
 *
 * @param local whether Slack is the local Slack (its statistics and controls are there)
 * @param controls whether the page may drive the local Slack (false on a real workspace or with
 *     --read-only)
 * @param person who the page posts and reacts as (null: nobody, those controls are off)
 * @param now the server's clock (epoch ms), to count lease time down against
 * @param messages the newest messages, newest first (in an update: the changed ones only)
 * @param removed messages that left the window (updates only)
 * @param error the last failed read, with Slack's error code (null when the last one worked)
 */
record ConsoleView(
    String type,
    String channel,
    boolean local,
    boolean controls,
    String person,
    double timeScale,
    long tickMillis,
    long now,
    List<MessageView> messages,
    List<String> removed,
    Map<String, Integer> counts,
    List<WorkerView> workers,
    Map<String, Integer> sockets,
    List<String> apps,
    Map<String, Boolean> faults,
    List<Point> series,
    long bucketMillis,
    List<ApiRow> api,
    List<ApiRow> console,
    String error) {

  /**
   * One message of the channel.
   *
   * @param state waiting, held, expired, done or dead
   * @param holder who holds (held), held (expired), or did it (done); null when nobody or not yet
   *     read
   * @param since when the holder's claim was stamped (epoch ms), or null
   * @param expires when the holder's lease ends (epoch ms), or null
   * @param read whether the state comes from a read of the thread (else from the channel's marks
   *     alone, until the thread is read)
   * @param timeline the ledger entries and records of its thread, oldest first (the newest {@link
   *     ConsoleModel#MAX_TIMELINE}); {@code omitted} the older ones left out
   */
  record MessageView(
      String ts,
      String text,
      String user,
      String state,
      String holder,
      Long since,
      Long expires,
      int attempts,
      String reason,
      boolean pinned,
      List<Reaction> reactions,
      int replies,
      boolean read,
      List<Entry> timeline,
      int omitted,
      String error) {}

  /** A reaction on a message, and how many added it. */
  record Reaction(String name, int count) {}

  /**
   * An entry of a thread: a ledger entry (claim, renew, release, handback, dead), a record
   * (handled, rolled), the done mark, or another reply.
   *
   * @param worker the worker id it names (or who replied, for other replies)
   * @param app the app (or bot id) that posted it
   */
  record Entry(String op, String worker, String app, String ts, String text) {}

  /**
   * A worker seen in the threads of the window.
   *
   * @param lastSeen its newest entry (epoch ms)
   * @param holding messages it holds now
   * @param completed messages of the window it completed
   * @param recent its newest completions, as message texts
   */
  record WorkerView(
      String id, String app, long lastSeen, int holding, int completed, List<String> recent) {}

  /**
   * One bucket of the chart (one emulated minute): completions, the messages in flight at its end,
   * retries, dead letters, and on the local Slack every caller's API calls and 429s.
   */
  record Point(
      long t, int completed, int inFlight, int retries, int dead, long calls, long ratelimited) {}

  /**
   * A caller's use of one method.
   *
   * @param caller an app or person (the console, in the console's own rows)
   * @param perMinute calls per emulated minute over the last whole bucket
   * @param ceiling the method's tier, per minute (0: unknown)
   * @param errors answers that were errors (the console's own rows only)
   */
  record ApiRow(
      String caller,
      String method,
      long calls,
      long ratelimited,
      long errors,
      double perMinute,
      int ceiling) {}
}
