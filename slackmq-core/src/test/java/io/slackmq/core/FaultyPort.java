package io.slackmq.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test harness faults around the real (HTTP) port, until the emulator's own race window is
 * merged here: a race window (an "already" answer turned into a win: two workers both think
 * their pin/reaction succeeded, as the seed's author saw), latency, calls that fail before
 * reaching Slack, and posts that Slack applied but whose answer was lost.
 */
final class FaultyPort implements SlackPort {
  private final SlackPort real;
  private final double raceWindow;
  private final double failure;
  private final long maxLatencyMicros;

  FaultyPort(SlackPort real, double raceWindow, double failure, long maxLatencyMicros) {
    this.real = real;
    this.raceWindow = raceWindow;
    this.failure = failure;
    this.maxLatencyMicros = maxLatencyMicros;
  }

  /** A client like {@code client} whose calls go through faults. */
  static LockClient wrap(LockClient client, double raceWindow, double failure, long latency) {
    return new LockClient(client.settings,
        new FaultyPort(client.slack, raceWindow, failure, latency));
  }

  private void before(String method) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (maxLatencyMicros > 0) {
      try {
        TimeUnit.MICROSECONDS.sleep(r.nextLong(maxLatencyMicros));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (r.nextDouble() < failure) {
      throw new SlackMQException("http_500", method + ": injected failure");
    }
  }

  @Override
  public Added addMark(String channel, String ts, Strategy.Mark mark, String emoji) {
    before("add " + mark);
    Added a = real.addMark(channel, ts, mark, emoji);
    return a == Added.ALREADY && ThreadLocalRandom.current().nextDouble() < raceWindow
        ? Added.ADDED : a;
  }

  @Override
  public void removeMark(String channel, String ts, Strategy.Mark mark, String emoji) {
    before("remove " + mark);
    real.removeMark(channel, ts, mark, emoji);
  }

  @Override
  public String postReply(String channel, String threadTs, String text) {
    before("post");
    String ts = real.postReply(channel, threadTs, text);
    if (ThreadLocalRandom.current().nextDouble() < failure) {
      throw new SlackMQException("timeout", "post: applied, answer lost (injected)");
    }
    return ts;
  }

  @Override
  public void deleteReply(String channel, String ts) {
    before("delete");
    real.deleteReply(channel, ts);
  }

  @Override
  public ThreadRead readThread(String channel, String ts) {
    before("read");
    return real.readThread(channel, ts);
  }

  @Override
  public ApiCalls calls() {
    return real.calls();
  }
}
