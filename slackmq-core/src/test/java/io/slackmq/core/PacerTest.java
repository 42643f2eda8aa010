package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacer's buckets are shared per app (token) within the JVM, on a fake monotonic clock. */
class PacerTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Pacer.Registry registry = new Pacer.Registry();

  /** Takes calls of {@code method} until one would have to wait; returns how many went. */
  private static int burst(Pacer pacer, String method) throws InterruptedException {
    int n = 0;
    while (pacer.waitNanos(method) == 0) {
      pacer.acquire(method);
      n++;
    }
    return n;
  }

  @Test
  void twoClientsOfOneToken_shareOneBucket() throws Exception {
    Pacer a = registry.forToken("http://slack.test/api/", "xoxb-one", 1, nanos::get);
    Pacer b = registry.forToken("http://slack.test/api", "xoxb-one", 1, nanos::get);
    assertThat(b).isSameAs(a);
    // pins.add: Tier 2, 20/min, burst 5: a drains it, so b has to wait for a's refill.
    assertThat(burst(a, "pins.add")).isEqualTo(5);
    assertThat(b.waitNanos("pins.add")).isEqualTo(3_000_000_000L); // 60 s / 20
    nanos.addAndGet(3_000_000_000L);
    assertThat(b.waitNanos("pins.add")).isZero();
    // another method has its own bucket
    assertThat(b.waitNanos("reactions.add")).isZero();
  }

  @Test
  void twoTokens_orTwoApiUrls_doNotShare() throws Exception {
    Pacer a = registry.forToken("http://slack.test/api/", "xoxb-one", 1, nanos::get);
    Pacer other = registry.forToken("http://slack.test/api/", "xoxb-two", 1, nanos::get);
    Pacer elsewhere = registry.forToken("http://other.test/api/", "xoxb-one", 1, nanos::get);
    assertThat(other).isNotSameAs(a);
    assertThat(elsewhere).isNotSameAs(a);
    assertThat(burst(a, "pins.add")).isEqualTo(5);
    assertThat(a.waitNanos("pins.add")).isPositive();
    assertThat(other.waitNanos("pins.add")).isZero();
    assertThat(elsewhere.waitNanos("pins.add")).isZero();
  }

  @Test
  void a429_halvesTheShareOnce_andQuietMinutesGiveItBack() throws Exception {
    Pacer p = registry.forToken("http://slack.test/api/", "xoxb-one", 1, nanos::get);
    assertThat(p.share("pins.add")).isEqualTo(1.0);
    p.rateLimited("pins.add");
    p.rateLimited("pins.add"); // the calls already in flight: one signal, not two
    assertThat(p.share("pins.add")).isEqualTo(0.5);
    // the burst is gone, and the next call waits twice as long as at the full tier (3 s)
    assertThat(p.waitNanos("pins.add")).isEqualTo(6_000_000_000L);
    nanos.addAndGet(2_000_000_000L);
    p.rateLimited("pins.add"); // a new 429 two seconds later: halved again
    assertThat(p.share("pins.add")).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
    for (int i = 0; i < 10; i++) {
      nanos.addAndGet(2_000_000_000L);
      p.rateLimited("pins.add");
    }
    assertThat(p.share("pins.add")).isGreaterThanOrEqualTo(1.0 / 16); // never below 1/16
    nanos.addAndGet(java.util.concurrent.TimeUnit.MINUTES.toNanos(5));
    assertThat(p.share("pins.add")).isCloseTo(0.5625, org.assertj.core.data.Offset.offset(0.05));
    nanos.addAndGet(java.util.concurrent.TimeUnit.MINUTES.toNanos(10));
    assertThat(p.share("pins.add")).isEqualTo(1.0);
    assertThat(p.share("reactions.add")).isEqualTo(1.0); // per method
  }

  @Test
  void threeProcessesOfOneApp_settleNearTheTier_withFew429s() throws Exception {
    // Three pacers (three processes of one app, each unaware of the others) draw on one Slack
    // budget of 20 pins.add per minute, simulated here as Slack counts it: a call beyond the
    // budget's bucket is a 429. Each process calls as fast as its pacer lets it, for an hour.
    Pacer[] procs = {
      new Pacer(true, 1, nanos::get), new Pacer(true, 1, nanos::get), new Pacer(true, 1, nanos::get)
    };
    Pacer slack = new Pacer(true, 1, nanos::get); // Slack's own bucket for the app: 20/min
    long ok = 0;
    long limited = 0;
    long end = nanos.get() + java.util.concurrent.TimeUnit.HOURS.toNanos(1);
    while (nanos.get() < end) {
      long next = Long.MAX_VALUE;
      for (Pacer p : procs) {
        long wait = p.waitNanos("pins.add");
        if (wait == 0) {
          p.acquire("pins.add");
          if (slack.waitNanos("pins.add") == 0) {
            slack.acquire("pins.add");
            ok++;
          } else {
            p.rateLimited("pins.add");
            limited++;
          }
          next = 0;
        } else {
          next = Math.min(next, wait);
        }
      }
      nanos.addAndGet(Math.max(next, 1_000_000L));
    }
    // Slack allowed 20/min (1,200 in the hour plus the first burst); the three get most of it,
    // and 429s stay a small fraction of the calls (without AIMD: about two of every three)
    assertThat(ok).isGreaterThan(1_000);
    assertThat((double) limited / (ok + limited)).isLessThan(0.1);
  }

  @Test
  void timeScale_dividesTheWait() throws Exception {
    Pacer fast = registry.forToken("http://slack.test/api/", "xoxb-one", 60, nanos::get);
    assertThat(fast)
        .isNotSameAs(registry.forToken("http://slack.test/api/", "xoxb-one", 1, nanos::get));
    assertThat(burst(fast, "pins.add")).isEqualTo(5);
    assertThat(fast.waitNanos("pins.add")).isEqualTo(50_000_000L); // 3 s / 60
  }

  @Test
  void registryKeys_neverHoldTheToken() {
    registry.forToken("http://slack.test/api/", "xoxb-secret-123", 1, nanos::get);
    assertThat(registry.toString()).doesNotContain("xoxb-secret-123").contains("1 app");
  }

  @Test
  void sameSdkClient_sharesOnePacer() {
    var methods = com.slack.api.Slack.getInstance().methods("xoxb-one");
    assertThat(registry.forClient(methods, 1, nanos::get))
        .isSameAs(registry.forClient(methods, 1, nanos::get))
        .isNotSameAs(
            registry.forClient(
                com.slack.api.Slack.getInstance().methods("xoxb-one"), 1, nanos::get));
  }
}
