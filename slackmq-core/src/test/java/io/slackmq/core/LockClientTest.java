package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slackmq.junit.LocalSlack;
import io.slackmq.junit.LocalSlackTest;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One worker against the emulator over real HTTP: the single-message paths and their costs. One
 * local Slack for the class, reset before each test.
 */
@LocalSlackTest
class LockClientTest {
  static Fixture slack;

  @BeforeAll
  static void start(LocalSlack local) {
    slack = new Fixture(local);
  }

  @Test
  void acquire_freeMessage_pinHappyPathCostsFiveCalls() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient client =
        slack.client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5)).build()) {
      Outcome o = client.acquire(slack.channel, ts);
      assertThat(o).isInstanceOf(Outcome.Acquired.class);
      Lease lease = o.leaseIfAcquired().orElseThrow();
      assertThat(lease.isValid()).isTrue();
      assertThat(lease.attempt()).isEqualTo(1);
      assertThat(client.inspect(slack.channel, ts)).isInstanceOf(MessageState.Held.class);
      lease.complete();
      assertThat(lease.isValid()).isFalse();
      ApiCalls calls = client.calls();
      assertThat(calls.total()).isEqualTo(6); // 5 + the inspect above
      assertThat(calls.of("pins.add")).isEqualTo(1);
      assertThat(calls.of("pins.remove")).isEqualTo(1);
      assertThat(calls.of("chat.postMessage")).isEqualTo(1);
      assertThat(calls.of("reactions.add")).isEqualTo(1);
      assertThat(client.inspect(slack.channel, ts))
          .isEqualTo(new MessageState.Done(1, false, client.workerId()));
      assertThat(client.acquire(slack.channel, ts)).isEqualTo(new Outcome.Done(1));
    }
  }

  @Test
  void acquire_heldByOther_isHeldWithHolderNotAnError() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a =
            slack
                .client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5))
                .workerId("host-a")
                .build();
        LockClient b =
            slack
                .client(slack.botB(), Strategy.PIN, Duration.ofSeconds(5))
                .workerId("host-b")
                .build()) {
      Lease lease = a.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      Outcome o = b.acquire(slack.channel, ts);
      assertThat(o).isInstanceOf(Outcome.Held.class);
      assertThat(((Outcome.Held) o).holder()).isEqualTo("host-a");
      assertThat(b.calls().total()).isEqualTo(2); // pins.add (already_pinned) + one read
      lease.release("testing");
      Outcome again = b.acquire(slack.channel, ts);
      assertThat(again).isInstanceOf(Outcome.Acquired.class);
      assertThat(again.leaseIfAcquired().orElseThrow().attempt()).isEqualTo(2);
      again.leaseIfAcquired().orElseThrow().complete();
    }
  }

  @Test
  void release_maxAttemptsExceeded_deadLetters() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient client =
        slack
            .client(slack.botA(), Strategy.REACTION, Duration.ofSeconds(5))
            .maxAttempts(2)
            .build()) {
      for (int i = 1; i <= 2; i++) {
        try (Lease lease = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow()) {
          assertThat(lease.attempt()).isEqualTo(i);
        } // close() releases
      }
      Outcome o = client.acquire(slack.channel, ts);
      assertThat(o).isInstanceOf(Outcome.DeadLettered.class);
      assertThat(((Outcome.DeadLettered) o).attempts()).isEqualTo(2);
      assertThat(((Outcome.DeadLettered) o).byThisCall()).as("this acquire wrote it").isTrue();
      Outcome found = client.acquire(slack.channel, ts);
      assertThat(found).isInstanceOf(Outcome.DeadLettered.class);
      assertThat(((Outcome.DeadLettered) found).byThisCall()).as("found dead").isFalse();
      assertThat(client.inspect(slack.channel, ts)).isInstanceOf(MessageState.DeadLettered.class);
    }
  }

  @Test
  void fail_onTheLastAttempt_deadLettersAtOnce_andEarlierFailuresRelease() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient client =
        slack.client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5)).maxAttempts(2).build()) {
      Lease first = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      assertThat(first.fail("disk full")).isFalse();
      assertThat(client.inspect(slack.channel, ts)).isEqualTo(new MessageState.Free(1, false));
      Lease second = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      assertThat(second.attempt()).isEqualTo(2);
      assertThat(second.fail("disk still full")).isTrue();
      assertThat(second.isValid()).isFalse();
      assertThat(second.fail("again")).isFalse(); // ended: nothing more is written
      assertThat(client.inspect(slack.channel, ts)).isInstanceOf(MessageState.DeadLettered.class);
      assertThat(client.acquire(slack.channel, ts))
          .isEqualTo(new Outcome.DeadLettered(2, "failed 2 times (maxAttempts 2)"));
    }
  }

  @Test
  void handBack_spendsNoAttempt_soTheNextHolderHasTheSameAttempt() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient client =
        slack.client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5)).maxAttempts(1).build()) {
      for (int turn = 0; turn < 3; turn++) {
        Lease lease = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
        assertThat(lease.attempt()).isEqualTo(1);
        lease.handBack("turn " + turn + " over");
        assertThat(lease.isValid()).isFalse();
      }
      assertThat(client.inspect(slack.channel, ts)).isEqualTo(new MessageState.Free(0, false));
      Lease last = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      last.release("a counted give-back"); // maxAttempts 1: the next acquire dead-letters
      assertThat(client.acquire(slack.channel, ts)).isInstanceOf(Outcome.DeadLettered.class);
    }
  }

  @Test
  void ledgerEntries_carryMetadata_andForgedTagsChangeNothing() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a =
            slack.client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5)).workerId("a").build();
        LockClient b =
            slack.client(slack.botB(), Strategy.PIN, Duration.ofSeconds(5)).workerId("b").build()) {
      Lease held = a.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      var replies =
          slack
              .sdk(slack.botA())
              .conversationsReplies(q -> q.channel(slack.channel).ts(ts).includeAllMetadata(true))
              .getMessages();
      var claim = replies.get(1).getMetadata();
      assertThat(claim.getEventType()).isEqualTo("slackmq_claim");
      assertThat(claim.getEventPayload())
          .containsEntry("claim", held.claimId())
          .containsEntry("worker", "a");
      // alice types the holder's release tag: people cannot attach metadata, so it is chatter.
      slack
          .sdk(slack.alice())
          .chatPostMessage(
              q ->
                  q.channel(slack.channel)
                      .threadTs(ts)
                      .text("done? [slackmq release id=" + held.claimId() + "]"));
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Held.class);
      // Another bot's hand-back of a claim id that is not the holder's changes nothing either.
      slack
          .sdk(slack.botB())
          .chatPostMessage(
              q ->
                  q.channel(slack.channel)
                      .threadTs(ts)
                      .text("nope [slackmq handback id=0123456789abcdef]"));
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Held.class);
      held.complete();
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
    }
  }

  @Test
  void reaction_completeKeepsLockReaction_lateRedeliveryIsDoneInTwoCalls() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient client =
        slack.client(slack.botA(), Strategy.REACTION, Duration.ofSeconds(5)).build()) {
      client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow().complete();
      assertThat(client.calls().of("reactions.remove")).isZero();
      ApiCalls before = client.calls();
      assertThat(client.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
      assertThat(client.calls().minus(before).total()).isEqualTo(2);
    }
  }

  @Test
  void star_withUserToken_acquiresAndCompletes() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a = slack.client(slack.alice(), Strategy.STAR, Duration.ofSeconds(5)).build();
        LockClient b = slack.client(slack.alice(), Strategy.STAR, Duration.ofSeconds(5)).build()) {
      Lease lease = a.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Held.class);
      lease.complete();
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
    }
  }

  @Test
  void seedApi_ackTrueOnceThenFalse_unackMarksDone() throws Exception {
    String ts = slack.postTasks(1).get(0);
    SlackMQ first = new SlackMQ(slack.botA(), slack.channel, ts, slack.emulator.apiUrl());
    SlackMQ second = new SlackMQ(slack.botB(), slack.channel, ts, slack.emulator.apiUrl());
    assertThat(first.ack("eyes", false)).isTrue();
    assertThat(second.ack()).isFalse();
    first.unack();
    assertThat(second.ack()).isFalse(); // done: a late copy is skipped
    var history =
        slack.sdk(slack.botA()).conversationsReplies(q -> q.channel(slack.channel).ts(ts));
    var parent = history.getMessages().get(0);
    assertThat(parent.getPinnedTo()).isNullOrEmpty();
    assertThat(parent.getReactions()).extracting("name").containsExactly("white_check_mark");
  }

  @Test
  void seedApi_manyObjectsForOneToken_shareOneSdkClient() throws Exception {
    List<String> tasks = slack.postTasks(5);
    Set<Object> sdkClients = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String ts : tasks) {
      SlackMQ post = new SlackMQ(slack.botA(), slack.channel, ts, slack.emulator.apiUrl());
      assertThat(post.ack()).isTrue();
      sdkClients.add(((SdkSlackPort) post.lockClient().slack).methods());
      SlackMQ late = new SlackMQ(slack.botA(), slack.channel, ts, slack.emulator.apiUrl());
      assertThat(late.ack()).isFalse();
      assertThat(late.lockClient()).as("closed and dropped when ack() is false").isNull();
      post.unack();
      assertThat(post.lockClient()).as("closed and dropped after unack()").isNull();
    }
    assertThat(sdkClients).hasSize(1);
    try (LockClient other =
        slack.client(slack.botB(), Strategy.PIN, Duration.ofSeconds(5)).build()) {
      assertThat(sdkClients).doesNotContain(((SdkSlackPort) other.slack).methods());
    }
  }

  @Test
  void seedApi_badToken_throwsInvalidAuthInsteadOfFalse() throws Exception {
    String ts = slack.postTasks(1).get(0);
    SlackMQ post = new SlackMQ("xoxb-not-a-token", slack.channel, ts, slack.emulator.apiUrl());
    assertThatThrownBy(post::ack)
        .isInstanceOf(SlackMQException.class)
        .satisfies(e -> assertThat(((SlackMQException) e).error()).isEqualTo("invalid_auth"))
        .hasMessageNotContaining("xoxb-not-a-token");
  }

  @Test
  void lease_extendAfterExpiry_isLeaseLost_andCompleteReclaimsWhenNobodyTookOver()
      throws Exception {
    String ts = slack.postTasks(1).get(0);
    long[] fakeNanos = {0};
    try (LockClient client =
        slack
            .client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5))
            .clock(java.time.InstantSource.system(), () -> fakeNanos[0])
            .build()) {
      Lease lease = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      fakeNanos[0] += Duration.ofSeconds(5).toNanos(); // the local clock passes the deadline
      assertThat(lease.isValid()).isFalse();
      assertThatThrownBy(lease::extend)
          .isInstanceOf(SlackMQException.class)
          .satisfies(e -> assertThat(((SlackMQException) e).isLeaseLost()).isTrue());
      lease.complete(); // nobody took over (real time is far below the ttl): re-claims, done
      assertThat(client.inspect(slack.channel, ts)).isInstanceOf(MessageState.Done.class);
    }
  }

  @Test
  void doneEmoji_alias_isNormalizedSoDoneIsDetected() throws Exception {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a =
            slack
                .client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5))
                .doneEmoji("thumbsup")
                .deadEmoji("thumbsdown")
                .build();
        LockClient b =
            slack
                .client(slack.botB(), Strategy.PIN, Duration.ofSeconds(5))
                .doneEmoji("thumbsup")
                .build()) {
      a.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow().complete();
      // Slack (and the emulator) report the reaction as "+1": it must still read as done.
      assertThat(b.inspect(slack.channel, ts)).isInstanceOf(MessageState.Done.class);
      assertThat(b.acquire(slack.channel, ts)).isEqualTo(new Outcome.Done(1));
      assertThat(a.settings.doneEmoji()).isEqualTo("+1");
      assertThat(a.settings.deadEmoji()).isEqualTo("-1");
    }
  }
}
