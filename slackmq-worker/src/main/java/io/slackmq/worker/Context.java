package io.slackmq.worker;

import com.google.re2j.Matcher;
import io.slackmq.core.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link MessageContext} handed to a handler. */
final class Context implements MessageContext {
  private final Incoming message;
  private final Matcher match;
  private final SlackCalls slack;
  private final Lease lease;
  private final String workerId;
  private final Delivery delivery;
  private final int attempt;

  Context(
      Incoming message,
      Matcher match,
      SlackCalls slack,
      Lease lease,
      String workerId,
      Delivery delivery,
      int attempt) {
    this.message = message;
    this.match = match;
    this.slack = slack;
    this.lease = lease;
    this.workerId = workerId;
    this.delivery = delivery;
    this.attempt = attempt;
  }

  @Override
  public String text() {
    return message.text();
  }

  @Override
  public String channel() {
    return message.channel();
  }

  @Override
  public String ts() {
    return message.ts();
  }

  @Override
  public String user() {
    return message.user();
  }

  @Override
  public String group(int i) {
    return match.group(i);
  }

  @Override
  public String group(String name) {
    return match.group(name);
  }

  @Override
  public List<String> groups() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= match.groupCount(); i++) {
      out.add(match.group(i));
    }
    return out;
  }

  @Override
  public String reply(String text) {
    return slack.post(message.channel(), text, null);
  }

  @Override
  public String replyInThread(String text) {
    return slack.post(message.channel(), text, message.ts());
  }

  @Override
  public void react(String emoji) {
    slack.react(message.channel(), message.ts(), emoji);
  }

  @Override
  public Optional<Lease> lease() {
    return Optional.ofNullable(lease);
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public Delivery delivery() {
    return delivery;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String toString() {
    return "MessageContext[" + message.channel() + "/" + message.ts() + "]";
  }
}
