package io.slackmq.core;

import com.slack.api.model.Message;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-worker records in a message's thread, for deliveries that every worker of a fleet makes
 * (slackmq-worker's ALL and ROLLING): {@code :white_check_mark: handled by host-1 [slackmq handled
 * w=host-1]}. The grammar is the ledger's (see {@link LockClient}); like ledger entries, only
 * replies posted by a bot count, so a person typing a tag forges nothing.
 */
public final class Records {
  private Records() {}

  /** What a record says a worker did. */
  public enum Kind {
    /** ALL: the worker handled the message. */
    HANDLED,
    /** ROLLING: the worker took its turn. */
    ROLLED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The reply text recording that {@code workerId} did {@code kind}: {@code human} plus a tag. */
  public static String text(Kind kind, String workerId, String human) {
    return Ledger.recordText(kind.tag(), workerId, human);
  }

  /**
   * Worker ids with a {@code kind} record among the bot replies of {@code thread} (parent first).
   */
  public static Set<String> workers(List<Message> thread, Kind kind) {
    Set<String> out = new TreeSet<>();
    for (Message r : thread.subList(Math.min(1, thread.size()), thread.size())) {
      if (r.getBotId() != null && r.getText() != null) {
        String w = Ledger.recordWorker(kind.tag(), r.getText());
        if (w != null) {
          out.add(w);
        }
      }
    }
    return out;
  }
}
