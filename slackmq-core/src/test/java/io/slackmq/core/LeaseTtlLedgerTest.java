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
  void compactable_keepsEverythingALeaseCouldStillCover() {
    String a = "aaaaaaaa";
    String b = "bbbbbbbb";
    List<Ledger.Entry> thread =
        List.of(
            entry(T0, Ledger.claimPost(a, "w1", 1_000)),
            entry(T0 + 100_000, Ledger.handBackPost(a, "w1", "done")),
            entry(T0 + 5_000_000, Ledger.claimPost(b, "w2", 10_000)),
            entry(T0 + 5_100_000, Ledger.handBackPost(b, "w2", "done")));
    // a's lease could run to T0+1.1 s at most, before b's claim; b's to T0+15.1 s
    assertThat(Ledger.compactable(thread, T0 + 6_000_000)).isEqualTo(2);
    assertThat(Ledger.compactable(thread, T0 + 15_200_000)).isEqualTo(4);
    assertThat(Ledger.compactable(thread, T0 + 1_000_000)).isZero(); // a's claim still covers it
    // a rival's losing claim in the middle keeps the cut before it until its own ttl ran out
    List<Ledger.Entry> withRival = new ArrayList<>(thread);
    withRival.add(2, entry(T0 + 50_000, Ledger.claimPost("cccccccc", "w3", 20_000)));
    withRival.sort(java.util.Comparator.comparingLong(Ledger.Entry::ts));
    assertThat(Ledger.compactable(withRival, T0 + 16_000_000)).isZero();
    assertThat(Ledger.compactable(withRival, T0 + 21_000_000)).isEqualTo(5);
  }

  /**
   * The safety property, over random ledgers: delete any subset of the compactable entries (in any
   * order some deletions are seen, others not) and the fold from the winning claim on is the same.
   */
  @Test
  void anySubsetOfTheCompactableEntries_foldsTheSameHolderFromTheWinningClaimOn() {
    Random random = new Random(11);
    int compacted = 0;
    for (int round = 0; round < 2_000; round++) {
      List<Ledger.Entry> thread = new ArrayList<>();
      long ts = T0;
      for (int i = 0; i < 16; i++) {
        ts += 1 + random.nextInt(2_000_000);
        String id = "claim" + random.nextInt(5) + "xyz";
        thread.add(
            entry(
                ts,
                switch (random.nextInt(5)) {
                  case 0, 1 -> Ledger.claimPost(id, "w1", 1 + random.nextInt(3_000));
                  case 2 -> Ledger.renewPost(id, "w1", random.nextInt(3) * random.nextInt(3_000));
                  case 3 -> Ledger.handBackPost(id, "w1", "x");
                  default -> Ledger.releasePost(id, "w1", "x");
                }));
      }
      ts += 1 + random.nextInt(4_000_000);
      String winner = "winner" + round + "x";
      List<Ledger.Entry> full = new ArrayList<>(thread);
      full.add(entry(ts, Ledger.claimPost(winner, "w9", 2_000)));
      if (!Ledger.fold(full).heldBy(winner)) {
        continue; // the claim lost: nothing is compacted
      }
      for (int i = 0; i < 5; i++) {
        long later = ts + random.nextInt(3_000_000);
        String id = random.nextBoolean() ? winner : "late" + random.nextInt(3) + "xyz";
        full.add(entry(later, Ledger.claimPost(id, "w8", 1 + random.nextInt(3_000))));
        full.sort(java.util.Comparator.comparingLong(Ledger.Entry::ts));
      }
      int n = Ledger.compactable(full, ts);
      compacted += n;
      Ledger.State expected = Ledger.fold(full);
      for (int trial = 0; trial < 8; trial++) {
        List<Ledger.Entry> seen = new ArrayList<>();
        for (int i = 0; i < full.size(); i++) {
          if (i >= n || random.nextBoolean()) {
            seen.add(full.get(i));
          }
        }
        Ledger.State got = Ledger.fold(seen);
        assertThat(got.holder()).isEqualTo(expected.holder());
        assertThat(got.lastBeat()).isEqualTo(expected.lastBeat());
        assertThat(got.released()).isEqualTo(expected.released());
      }
    }
    assertThat(compacted).as("the property was exercised").isGreaterThan(1_000);
  }
}
