package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A scheduled task's failures: counted, survived, and fatal ones handed to the worker. */
class GuardTest {
  private final AtomicLong now = new AtomicLong();
  private final Vitals vitals = new Vitals(now::get);

  @Test
  void repeatedFailuresMakeTheWorkerUnhealthy_oneSuccessClearsIt() {
    AtomicInteger runs = new AtomicInteger();
    Runnable task =
        Guard.of(
            LoggerFactory.getLogger(GuardTest.class),
            vitals,
            "the sweeper",
            () -> {
              if (runs.incrementAndGet() <= 3) {
                throw new StackOverflowError("deep");
              }
            });
    task.run();
    task.run();
    assertThat(vitals.liveness()).isEmpty(); // two in a row: still live
    task.run();
    assertThat(vitals.liveness())
        .containsExactly(
            "the sweeper failed 3 times in a row (last: java.lang.StackOverflowError: deep)");
    task.run();
    assertThat(vitals.liveness()).isEmpty();
  }

  @Test
  void aFatalErrorIsHandedOn_andRethrown() {
    List<Throwable> fatal = new ArrayList<>();
    vitals.onFatal(fatal::add);
    OutOfMemoryError oom = new OutOfMemoryError("heap");
    Runnable task =
        Guard.of(
            LoggerFactory.getLogger(GuardTest.class),
            vitals,
            "the poller",
            () -> {
              throw oom;
            });
    assertThatThrownBy(task::run).isSameAs(oom);
    assertThat(fatal).containsExactly(oom);
  }

  @Test
  void slackAnswers_decideWhetherSlackCanBeUsed() {
    vitals.answered("conversations.history", "http_503");
    now.addAndGet(5_000_000_000L);
    assertThat(vitals.slack())
        .isEqualTo("Slack cannot be used: conversations.history answered http_503 (for 5 s)");
    vitals.answered("pins.add", "already_pinned"); // an error, but Slack answered
    assertThat(vitals.slack()).isNull();
    vitals.answered("auth.test", "invalid_auth");
    assertThat(vitals.slack()).contains("invalid_auth");
    vitals.answered("auth.test", null);
    assertThat(vitals.slack()).isNull();
  }
}
