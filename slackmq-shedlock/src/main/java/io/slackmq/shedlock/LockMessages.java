package io.slackmq.shedlock;

import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.model.Message;
import io.slackmq.core.SlackApi;
import io.slackmq.core.SlackMQException;
import io.slackmq.core.Ts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lock name to lock message: one top-level message per name in the provider's channel, posted by a
 * bot with the metadata {@code slackmq_lock {name}} (people cannot attach metadata from Slack's
 * clients, so typing the text forges nothing). Found by reading the channel's history, or posted;
 * then, once the read-lag bound has passed, the history is read again and the earliest such message
 * wins. Every instance decides that way, so two that post at once both choose the older of the two
 * posts and the other one's author deletes it. Cached per name for the life of the provider,
 * dropped when Slack says the message is gone.
 */
final class LockMessages {
  private static final Logger log = LoggerFactory.getLogger(LockMessages.class);

  /** The metadata event type of a lock message; its payload is {@code {"name": lockName}}. */
  static final String EVENT_TYPE = "slackmq_lock";

  private final SlackApi api;
  private final String channel;
  private final long settleNanos;
  private final Map<String, String> cache = new ConcurrentHashMap<>();
  private final Map<String, Object> finding = new ConcurrentHashMap<>();

  LockMessages(SlackApi api, String channel, long settleNanos) {
    this.api = api;
    this.channel = channel;
    this.settleNanos = settleNanos;
  }

  /**
   * The ts of the lock message of {@code name}: cached, or found (and posted if missing) once per
   * name, one thread at a time.
   *
   * @throws SlackMQException with Slack's error code
   */
  String tsOf(String name) {
    String ts = cache.get(name);
    if (ts != null) {
      return ts;
    }
    synchronized (finding.computeIfAbsent(name, k -> new Object())) {
      ts = cache.get(name);
      if (ts == null) {
        ts = find(name); // not inside computeIfAbsent: it holds a map lock across Slack calls
        cache.put(name, ts);
      }
      return ts;
    }
  }

  /** Forgets {@code ts} for {@code name} (Slack said it is gone): the next lock finds it anew. */
  void forget(String name, String ts) {
    cache.remove(name, ts);
  }

  private String find(String name) {
    String ours = earliest(name) == null ? post(name) : null;
    // A message stamped before any we saw may still be hidden from reads younger than the bound
    // (docs/PROTOCOL.md, A1'): wait it out, then the earliest is the one every instance picks.
    settle();
    String chosen = earliest(name);
    if (chosen == null) {
      throw new SlackMQException(
          SlackMQException.NOT_VISIBLE,
          "the lock message for '"
              + name
              + "' is not in the channel's history after the read-lag bound; try again, and raise"
              + " readLagBound if this repeats");
    }
    if (ours != null && !ours.equals(chosen)) {
      delete(ours, name);
    }
    log.debug("lock '{}' is message {} in {}", name, chosen, channel);
    return chosen;
  }

  /** The oldest bot message of the channel that is the lock message of {@code name}, or null. */
  private String earliest(String name) {
    String best = null;
    for (Message m :
        api.messages(
            "conversations.history",
            cursor ->
                sdk ->
                    sdk.conversationsHistory(
                        q ->
                            q.channel(channel).limit(1000).includeAllMetadata(true).cursor(cursor)),
            ConversationsHistoryResponse::getMessages,
            ConversationsHistoryResponse::getResponseMetadata)) {
      if (isLockMessage(m, name) && (best == null || Ts.parse(m.getTs()) < Ts.parse(best))) {
        best = m.getTs();
      }
    }
    return best;
  }

  static boolean isLockMessage(Message m, String name) {
    Message.Metadata md = m.getMetadata();
    return m.getBotId() != null
        && Ts.valid(m.getTs())
        && md != null
        && EVENT_TYPE.equals(md.getEventType())
        && md.getEventPayload() != null
        && name.equals(md.getEventPayload().get("name"));
  }

  private String post(String name) {
    Message.Metadata md =
        Message.Metadata.builder().eventType(EVENT_TYPE).eventPayload(Map.of("name", name)).build();
    String text =
        ":lock: slackmq-lock: "
            + escape(name)
            + " (ShedLock's lock of that name: its thread is the lock's ledger; keep this message)";
    return api.call(
            "chat.postMessage",
            m -> m.chatPostMessage(q -> q.channel(channel).text(text).metadata(md)))
        .getTs();
  }

  private void delete(String ts, String name) {
    try {
      api.call("chat.delete", m -> m.chatDelete(q -> q.channel(channel).ts(ts)));
    } catch (SlackMQException e) {
      // Harmless: nobody locks on it, as every instance picks the earliest.
      log.info("could not delete the duplicate lock message {} of '{}': {}", ts, name, e.error());
    }
  }

  private void settle() {
    if (settleNanos <= 0) {
      return;
    }
    try {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(settleNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SlackMQException("interrupted", "interrupted while finding a lock message");
    }
  }

  /** Slack's three control characters, as its formatting rules ask for in message text. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
