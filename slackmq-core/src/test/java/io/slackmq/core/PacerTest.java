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
