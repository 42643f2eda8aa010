package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Renewals that set a ttl, and compaction: which old entries may be deleted so that every reader,
 * whichever deletions it sees, folds the same holder from the winning claim on.
 */
class LeaseTtlLedgerTest {
  private static final long T0 = 1_700_000_000_000_000L;

  private static Ledger.Entry entry(long ts, Ledger.Post post) {
    return Ledger.parse(
            new SlackPort.Reply(Ts.format(ts), true, false, "x", post.eventType(), post.payload()))
        .orElseThrow();
  }

  @Test
  void aRenewWithATtl_isTheLeasesTtlFromThenOn_shorterOrLonger() {
    Ledger.Entry claim = entry(T0, Ledger.claimPost("aaaaaaaa", "w1", 60_000));
    Ledger.Entry shorter = entry(T0 + 1_000_000, Ledger.renewPost("aaaaaaaa", "w1", 500));
    Ledger.State s = Ledger.fold(List.of(claim, shorter));
    assertThat(s.expiresAt()).isEqualTo(T0 + 1_500_000);
    assertThat(s.liveAt(T0 + 1_500_000)).isTrue();
    assertThat(s.liveAt(T0 + 1_500_001)).isFalse();
    // a plain renewal afterwards keeps the new ttl; a claim right after expiry wins
    Ledger.Entry plain = entry(T0 + 1_400_000, Ledger.renewPost("aaaaaaaa", "w1"));
    Ledger.Entry rival = entry(T0 + 2_000_000, Ledger.claimPost("bbbbbbbb", "w2", 60_000));
    Ledger.State after = Ledger.fold(List.of(claim, shorter, plain, rival));
    assertThat(after.holder().id()).isEqualTo("bbbbbbbb");
    Ledger.Entry longer = entry(T0 + 1_000_000, Ledger.renewPost("aaaaaaaa", "w1", 600_000));
    assertThat(Ledger.fold(List.of(claim, longer)).expiresAt()).isEqualTo(T0 + 601_000_000);
    assertThat(Ledger.fold(List.of(claim, longer, rival)).holder().id()).isEqualTo("aaaaaaaa");
  }

  @Test
  void aRenewWithABadTtl_isNoEntry_andItsTextTagParsesLikeItsMetadata() {
    for (Object bad : List.of(0, -1, 1_000_000_000_000L, "soon")) {
      Map<String, Object> p = Map.of("claim", "aaaaaaaa", "worker", "w1", "ttl_ms", bad);
      assertThat(
              Ledger.parse(new SlackPort.Reply("1.000001", true, false, "x", "slackmq_renew", p)))
          .as(bad.toString())
          .isEmpty();
    }
    Ledger.Post post = Ledger.renewPost("aaaaaaaa", "w1", 1_500);
    assertThat(post.text()).endsWith("[slackmq renew id=aaaaaaaa ttl=1500ms]");
    Ledger.Entry legacy =
        Ledger.parse(new SlackPort.Reply("1.000001", true, false, post.text())).orElseThrow();
    assertThat(legacy.ttlMicros()).isEqualTo(1_500_000L);
  }

  @Test
  void compactable_closedEpisodesGo_aLosingClaimStopsIt_copiesGoFirst() {
    String a = "aaaaaaaa";
    String b = "bbbbbbbb";
    List<Ledger.Entry> thread =
        List.of(
            entry(T0, Ledger.claimPost(a, "w1", 600_000)),
            entry(T0 + 100_000, Ledger.handBackPost(a, "w1", "done")),
            entry(T0 + 200_000, Ledger.claimPost(b, "w2", 600_000)),
            entry(T0 + 300_000, Ledger.handBackPost(b, "w2", "done")));
    // both handed back: gone, however long their lockAtMostFor
    assertThat(Compaction.compactable(thread, T0 + 400_000)).isEqualTo(4);
    // a lease that lapses (a renewal with a short ttl) goes once it lapsed
    List<Ledger.Entry> lapsing =
        List.of(
            entry(T0, Ledger.claimPost(a, "w1", 600_000)),
            entry(T0 + 100_000, Ledger.renewPost(a, "w1", 500)),
            entry(T0 + 700_000, Ledger.claimPost(b, "w2", 600_000)));
    assertThat(Compaction.compactable(lapsing, T0 + 800_000)).isEqualTo(2); // a lapsed before b
    assertThat(Compaction.compactable(lapsing.subList(0, 2), T0 + 500_000)).isZero(); // still live
    // a rival's losing claim stays until its author deletes it, and so does what follows
    List<Ledger.Entry> rival = new ArrayList<>(thread);
    rival.add(1, entry(T0 + 50_000, Ledger.claimPost("cccccccc", "w3", 600_000)));
    assertThat(Compaction.compactable(rival, T0 + 400_000)).isZero();
    // a claim stored twice: its copy is deleted first (a reader of the first copy ignores it)
    List<Ledger.Entry> twice = new ArrayList<>(thread);
    twice.add(1, entry(T0 + 1, Ledger.claimPost(a, "w1", 600_000)));
    assertThat(Compaction.compactable(twice, T0 + 400_000)).isEqualTo(5);
    assertThat(Compaction.compactionOrder(twice, 5).get(0).ts()).isEqualTo(T0 + 1);
  }

  /**
   * The safety property, over random ledgers: a reader that sees any prefix of the compaction's
   * deletions (made one after the other in compactionOrder) folds the same holder from the winning
   * claim on.
   */
  @Test
  void anyPrefixOfTheDeletions_foldsTheSameHolderFromTheWinningClaimOn() {
    Random random = new Random(11);
    int compacted = 0;
    for (int round = 0; round < 3_000; round++) {
      List<Ledger.Entry> full = new ArrayList<>();
      long ts = T0;
      for (int i = 0; i < 16; i++) {
        ts += 1 + random.nextInt(2_000_000);
        String id = "claim" + random.nextInt(5) + "xyz";
        Ledger.Post post =
            switch (random.nextInt(5)) {
              case 0, 1 -> Ledger.claimPost(id, "w1", 1 + random.nextInt(3_000));
              case 2 -> Ledger.renewPost(id, "w1", random.nextInt(3) * random.nextInt(3_000));
              case 3 -> Ledger.handBackPost(id, "w1", "x");
              default -> Ledger.releasePost(id, "w1", "x");
            };
        full.add(entry(ts, post));
        if (random.nextInt(10) == 0) { // stored twice
          full.add(entry(++ts, post));
        }
      }
      ts += 1 + random.nextInt(4_000_000);
      String winner = "winner" + round + "x";
      full.add(entry(ts, Ledger.claimPost(winner, "w9", 2_000)));
      if (!Ledger.fold(full).heldBy(winner)) {
        continue; // the claim lost: nothing is compacted
      }
      for (int i = 0; i < 5; i++) {
        long later = ts + random.nextInt(3_000_000);
        String id = random.nextBoolean() ? winner : "late" + random.nextInt(3) + "xyz";
        full.add(entry(later, Ledger.claimPost(id, "w8", 1 + random.nextInt(3_000))));
        full.add(entry(later + 1, Ledger.handBackPost(id, "w8", "x")));
      }
      full.sort(java.util.Comparator.comparingLong(Ledger.Entry::ts));
      int n = Compaction.compactable(full, ts);
      compacted += n;
      List<Ledger.Entry> order = Compaction.compactionOrder(full, n);
      Ledger.State expected = Ledger.fold(full);
      for (int k = 0; k <= n; k++) {
        List<Ledger.Entry> seen = new ArrayList<>(full);
        seen.removeAll(order.subList(0, k));
        Ledger.State got = Ledger.fold(seen);
        assertThat(got.holder()).isEqualTo(expected.holder());
        assertThat(got.lastBeat()).isEqualTo(expected.lastBeat());
        assertThat(got.released()).isEqualTo(expected.released());
      }
    }
    assertThat(compacted).as("the property was exercised").isGreaterThan(1_000);
  }
}
