package io.slackmq.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.javacrumbs.shedlock.support.LockException;
import org.junit.jupiter.api.Test;

/** Finding or posting a lock message, and errors that must never look like "held elsewhere". */
class LockMessageTest {

  @Test
  void instancesPostingTheLockMessageAtOnce_allPickTheEarliest_andOneMessageStays()
      throws Exception {
    try (LocalSlack slack = LocalSlack.start()) {
      List<SlackLockProvider> fresh = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        fresh.add(Locks.provider(slack, i % 2 == 0 ? "slackmq-a" : "slackmq-b", "i-" + i, 1));
      }
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(fresh.size());
      List<Future<String>> found = new ArrayList<>();
      for (SlackLockProvider p : fresh) {
        found.add(
            pool.submit(
                () -> {
                  go.await();
                  return p.messageTs("nightly");
                }));
      }
      go.countDown();
      Set<String> chosen = new HashSet<>();
      for (Future<String> f : found) {
        chosen.add(f.get());
      }
      pool.shutdown();
      assertThat(chosen).hasSize(1);
      // the others' posts were deleted by their authors; the earliest is the one left
      assertThat(slack.history())
          .filteredOn(m -> m.getText().contains("slackmq-lock: nightly"))
          .extracting(m -> m.getTs())
          .containsExactlyElementsOf(chosen);
      fresh.forEach(SlackLockProvider::close);
    }
  }

  @Test
  void aPersonsLookalikeMessage_isNotALockMessage() {
    try (LocalSlack slack = LocalSlack.start();
        SlackLockProvider p = Locks.provider(slack, "slackmq-a", "i-1", 1)) {
      String forged = slack.post(":lock: slackmq-lock: weekly");
      assertThat(p.messageTs("weekly")).isNotEqualTo(forged);
    }
  }

  @Test
  void slackErrors_areLockExceptionsWithSlacksCode_neverAnEmptyLock() {
    try (LocalSlack slack = LocalSlack.start(Emulator.builder().noRateLimits())) {
      SlackLockProvider noChannel =
          SlackLockProvider.builder()
              .token(slack.botToken("slackmq-a"))
              .apiUrl(slack.apiUrl())
              .channel("C0NOSUCH")
              .readLagBound(Duration.ZERO)
              .build();
      assertThatThrownBy(
              () -> noChannel.lock(Locks.config("x", Duration.ofMinutes(1), Duration.ZERO)))
          .isInstanceOf(LockException.class)
          .hasMessageContaining("channel_not_found")
          .hasMessageContaining("'x'");
      String token = "xoxb-not-a-token-" + "s3cr3t";
      SlackLockProvider badToken =
          SlackLockProvider.builder()
              .token(token)
              .apiUrl(slack.apiUrl())
              .channel(slack.channel())
              .readLagBound(Duration.ZERO)
              .build();
      assertThatThrownBy(
              () -> badToken.lock(Locks.config("x", Duration.ofMinutes(1), Duration.ZERO)))
          .isInstanceOf(LockException.class)
          .hasMessageContaining("invalid_auth")
          .hasMessageNotContaining("s3cr3t");
      noChannel.close();
      badToken.close();
    }
  }

  @Test
  void aLockMessageMarkedDoneByHand_isALockException_notHeld() {
    try (LocalSlack slack = LocalSlack.start();
        SlackLockProvider p = Locks.provider(slack, "slackmq-a", "i-1", 1)) {
      String ts = p.messageTs("daily");
      slack.react(ts, "white_check_mark");
      assertThatThrownBy(() -> p.lock(Locks.config("daily", Duration.ofMinutes(1), Duration.ZERO)))
          .isInstanceOf(LockException.class)
          .hasMessageContaining("remove it");
    }
  }
}
