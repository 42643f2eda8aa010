package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slackmq.emulator.Emulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock client's Micrometer meters, counted against what happened on the local Slack. */
class MetersTest {

  private static double count(SimpleMeterRegistry r, String name, String... tags) {
    var search = r.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var c = search.counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void acquiresRenewalsAndAnswers_areCountedWithBoundedTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Fixture f = Fixture.start(Emulator.builder().noRateLimits().rateLimit("pins.add", 1000));
        LockClient a =
            f.client(f.botA(), Strategy.PIN, Duration.ofSeconds(30))
                .workerId("a")
                .meterRegistry(registry)
                .build();
        LockClient b =
            f.client(f.botB(), Strategy.PIN, Duration.ofSeconds(30)).workerId("b").build()) {
      List<String> ts = f.postTasks(3);
      Lease mine = a.acquire(f.channel, ts.get(0)).leaseIfAcquired().orElseThrow();
      mine.extend();
      mine.complete();
      assertThat(a.acquire(f.channel, ts.get(0))).isInstanceOf(Outcome.Done.class);
      assertThat(b.acquire(f.channel, ts.get(1))).isInstanceOf(Outcome.Acquired.class);
      assertThat(a.acquire(f.channel, ts.get(1))).isInstanceOf(Outcome.Held.class);
      assertThat(a.acquire("C0NOSUCH", ts.get(2))).isInstanceOf(Outcome.Failed.class);

      assertThat(count(registry, "slackmq.lock.attempts")).isEqualTo(4);
      assertThat(count(registry, "slackmq.lock.acquired")).isEqualTo(1);
      assertThat(count(registry, "slackmq.lock.not.acquired", "result", "done")).isEqualTo(1);
      assertThat(count(registry, "slackmq.lock.not.acquired", "result", "held")).isEqualTo(1);
      assertThat(count(registry, "slackmq.lock.not.acquired", "result", "failed")).isEqualTo(1);
      assertThat(count(registry, "slackmq.lock.renewals", "result", "ok")).isEqualTo(1);
      assertThat(count(registry, "slackmq.slack.api.calls", "method", "pins.add", "error", "none"))
          .isGreaterThanOrEqualTo(1);
      assertThat(count(registry, "slackmq.slack.api.calls", "error", "channel_not_found"))
          .isGreaterThanOrEqualTo(1);
      // b passed no registry: nothing of b's is in a's
      assertThat(a.calls().calls().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(
              (long)
                  registry.find("slackmq.slack.api.calls").counters().stream()
                      .mapToDouble(c -> c.count())
                      .sum());
      for (Meter m : registry.getMeters()) {
        assertThat(m.getId().getName()).startsWith("slackmq.");
        assertThat(m.getId().getTags())
            .allSatisfy(t -> assertThat(t.getKey()).isIn("method", "error", "result"));
      }
    }
  }

  @Test
  void errorCodesPastTheCap_countAsOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMeters meters = new MicrometerMeters(registry);
    for (int i = 0; i < MicrometerMeters.MAX_ERROR_CODES + 50; i++) {
      meters.answered("chat.postMessage", "made_up_error_" + i);
    }
    assertThat(registry.find("slackmq.slack.api.calls").counters())
        .hasSize(MicrometerMeters.MAX_ERROR_CODES + 1);
    assertThat(count(registry, "slackmq.slack.api.calls", "error", "other")).isEqualTo(50);
  }

  @Test
  void rateLimitedAnswers_areCountedByMethod() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // One conversations.replies a minute, at 60x: a second read within a second is answered 429
    // (no retries here, so the call gives up at once with Slack's code).
    try (Fixture f =
            Fixture.start(
                Emulator.builder()
                    .timeScale(60)
                    .noRateLimits()
                    .rateLimit("conversations.replies", 1));
        LockClient a =
            f.client(f.botA(), Strategy.PIN, Duration.ofSeconds(30))
                .timeScale(60)
                .maxRetries(0)
                .meterRegistry(registry)
                .build()) {
      String ts = f.postTasks(1).get(0);
      a.inspect(f.channel, ts);
      assertThatThrownBy(() -> a.inspect(f.channel, ts))
          .isInstanceOfSatisfying(
              SlackMQException.class, e -> assertThat(e.error()).isEqualTo("ratelimited"));
      assertThat(count(registry, "slackmq.slack.ratelimited", "method", "conversations.replies"))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              count(
                  registry,
                  "slackmq.slack.api.calls",
                  "method",
                  "conversations.replies",
                  "error",
                  "ratelimited"))
          .isGreaterThanOrEqualTo(1);
    }
  }
}
