package io.slackmq.worker;

import com.google.re2j.Matcher;

/**
 * A message a listener took, on its way to a handler thread.
 *
 * @param matcher the listener's match on the text (its groups reach the handler)
 * @param inspectFirst read the message's lock state before acquiring (the sweeper saw it marked)
 */
record Job(Incoming message, Listener listener, Matcher matcher, boolean inspectFirst) {

  String key() {
    return message.key();
  }

  Delivery delivery() {
    return listener.delivery;
  }

  /** The same job matched afresh (a Matcher is not reused across threads); null if no match. */
  Job again(String botUser) {
    Matcher m = listener.match(message, botUser);
    return m == null ? null : new Job(message, listener, m, false);
  }
}
