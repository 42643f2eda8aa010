package io.slackmq.worker;

import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.handler.BoltEventHandler;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.MessageEvent;
import io.slackmq.core.Lease;
import io.slackmq.core.LockClient;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackMQException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * SlackMQ's exactly-once handling for an existing Bolt for Java app, in one line:
 *
 * <pre>{@code
 * app.message(Pattern.compile("^deploy (\\S+)$"),
 *     SlackMQBolt.exactlyOnce(lockClient, (payload, ctx) -> { deploy(...); return ctx.ack(); }));
 * }</pre>
 *
 * <p>The wrapped handler runs only if this instance wins the message's lease (core's {@link
 * LockClient}); it runs on Bolt's thread under a renewing lease, then the message is marked done,
 * so a redelivered or duplicated event, another instance of the app (Socket Mode splits events
 * among connections) or another app (each gets every event) skips it. If the handler throws, the
 * lease is released for a retry (the exception propagates to Bolt as usual). The event is acked in
 * every case. Thread replies are skipped (ledger entries live in threads).
 */
public final class SlackMQBolt {
  private static final Logger log = LoggerFactory.getLogger(SlackMQBolt.class);

  private SlackMQBolt() {}

  /** Wraps {@code handler} so that one instance of the fleet runs it per message. */
  public static BoltEventHandler<MessageEvent> exactlyOnce(
      LockClient lock, BoltEventHandler<MessageEvent> handler) {
    Objects.requireNonNull(lock, "lock");
    Objects.requireNonNull(handler, "handler");
    BoundedSet seen = new BoundedSet(20_000); // local dedup: saves the calls of a sure loss
    return (payload, ctx) -> {
      MessageEvent e = payload.getEvent();
      if (e == null
          || e.getChannel() == null
          || e.getTs() == null
          || (e.getThreadTs() != null && !e.getThreadTs().equals(e.getTs()))) {
        return ctx.ack();
      }
      String key = e.getChannel() + "/" + e.getTs();
      if (!seen.add(key)) {
        return ctx.ack();
      }
      MDC.put("channel", e.getChannel());
      MDC.put("ts", e.getTs());
      try {
        return run(lock, handler, payload, ctx, seen, key);
      } finally {
        MDC.remove("channel");
        MDC.remove("ts");
      }
    };
  }

  private static Response run(
      LockClient lock,
      BoltEventHandler<MessageEvent> handler,
      com.slack.api.app_backend.events.payload.EventsApiPayload<MessageEvent> payload,
      EventContext ctx,
      BoundedSet seen,
      String key)
      throws java.io.IOException, com.slack.api.methods.SlackApiException {
    MessageEvent e = payload.getEvent();
    Outcome o = lock.acquire(e.getChannel(), e.getTs());
    if (o instanceof Outcome.Failed f) {
      seen.remove(key); // an error is not contention: a redelivery may try again
      log.warn("could not acquire: {} ({})", f.slackError(), f.hint());
      return ctx.ack();
    }
    if (!(o instanceof Outcome.Acquired a)) {
      return ctx.ack(); // held by another instance, done or dead-lettered
    }
    Lease lease = a.lease().startWatchdog();
    try {
      Response r;
      try {
        r = handler.apply(payload, ctx);
      } catch (RuntimeException
          | java.io.IOException
          | com.slack.api.methods.SlackApiException ex) {
        seen.remove(key);
        lease.release("handler failed: " + ex);
        throw ex;
      }
      // The handler succeeded: failing to mark it done is not its failure. Complete() is tried
      // twice; if Slack still refuses, the lease is released (closed) and the message will run
      // again: at least once, never a successful handler reported as failed.
      for (int attempt = 1; attempt <= 2; attempt++) {
        try {
          lease.complete();
          break;
        } catch (SlackMQException ex) {
          log.warn("handled, but marking it done failed ({}): {}", ex.error(), ex.hint());
        }
      }
      return r;
    } finally {
      lease.close();
    }
  }
}
