package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ledger's grammar: metadata entries, legacy text tags, and what never counts. */
class LedgerTest {
  private static final String ID = "abcdefgh12345678";

  private static SlackPort.Reply meta(String ts, boolean bot, String type, Map<String, Object> p) {
    return new SlackPort.Reply(ts, bot, false, "text people read", type, p);
  }

  @Test
  void metadataEntry_fromABot_counts_andWinsOverItsText() {
    Ledger.Post claim = Ledger.claimPost(ID, "w1", 60_000);
    assertThat(claim.eventType()).isEqualTo("slackmq_claim");
    assertThat(claim.payload()).containsEntry("claim", ID).containsEntry("ttl_ms", 60_000L);
    var e =
        Ledger.parse(
                new SlackPort.Reply(
                    "1.000001",
                    true,
                    false,
                    "[slackmq claim id=zzzzzzzz w=other ttl=5ms]",
                    claim.eventType(),
                    claim.payload()))
            .orElseThrow();
    assertThat(e.id()).isEqualTo(ID);
    assertThat(e.worker()).isEqualTo("w1");
    assertThat(e.ttlMicros()).isEqualTo(60_000_000L);
  }

  @Test
  void aPersonTypingATag_forgesNothing_andNeitherDoesMetadataFromANonEntryUser() {
    String forged = "[slackmq claim id=" + ID + " w=evil ttl=60000ms]";
    assertThat(Ledger.parse(new SlackPort.Reply("1.000001", false, false, forged))).isEmpty();
    Ledger.Post claim = Ledger.claimPost(ID, "w1", 60_000);
    assertThat(Ledger.parse(meta("1.000002", false, claim.eventType(), claim.payload()))).isEmpty();
    // Legacy: a bot's text tag still counts, so threads of earlier versions fold the same.
    assertThat(Ledger.parse(new SlackPort.Reply("1.000003", true, false, forged))).isPresent();
  }

  @Test
  void malformedMetadata_isIgnored_whateverItsTextSays() {
    String tag = "[slackmq claim id=" + ID + " w=w1 ttl=60000ms]";
    List<Map<String, Object>> bad =
        List.of(
            Map.of("worker", "w1", "ttl_ms", 1000),
            Map.of("claim", "NOT-AN-ID", "worker", "w1", "ttl_ms", 1000),
            Map.of("claim", ID, "worker", "w 1", "ttl_ms", 1000),
            Map.of("claim", ID, "worker", "w1", "ttl_ms", "soon"),
            Map.of("claim", ID, "worker", "w1", "ttl_ms", -5),
            Map.of("claim", ID, "ttl_ms", 1000));
    for (Map<String, Object> p : bad) {
      assertThat(
              Ledger.parse(new SlackPort.Reply("1.000001", true, false, tag, "slackmq_claim", p)))
          .as(p.toString())
          .isEmpty();
    }
    assertThat(
            Ledger.parse(
                new SlackPort.Reply(
                    "1.000001", true, false, tag, "slackmq_bogus", Map.of("claim", ID))))
        .isEmpty();
  }

  @Test
  void aThreadOfGarbageForgeriesAndDuplicates_foldsTheSameInAnyOrder() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      List<SlackPort.Reply> thread = new ArrayList<>();
      long ts = 1_700_000_000_000_000L;
      for (int i = 0; i < 30; i++) {
        ts += 1 + random.nextInt(3_000_000);
        String t = Ts.format(ts);
        String id = "claim" + random.nextInt(4) + "xyz";
        Ledger.Post post =
            switch (random.nextInt(7)) {
              case 0 ->
                  Ledger.claimPost(id, "w" + random.nextInt(3), 1_000 + random.nextInt(5_000));
              case 1 -> Ledger.renewPost(id, "w1");
              case 2 -> Ledger.releasePost(id, "w1", "why");
              case 3 -> Ledger.handBackPost(id, "w2", "stop");
              case 4 -> Ledger.deadPost(id, "w1", 3);
              case 5 -> Ledger.redrivePost(id, "ops@host", "fixed");
              default -> new Ledger.Post("chatter [slackmq garbage]", "other_app", Map.of("x", 1));
            };
        boolean bot = random.nextInt(5) != 0; // some posted by people: never count
        thread.add(
            new SlackPort.Reply(t, bot, false, post.text(), post.eventType(), post.payload()));
        if (random.nextInt(8) == 0) { // a post stored twice
          ts += 1;
          thread.add(
              new SlackPort.Reply(
                  Ts.format(ts), bot, false, post.text(), post.eventType(), post.payload()));
        }
      }
      Ledger.State expected = Ledger.fold(Ledger.entries(thread));
      List<SlackPort.Reply> shuffled = new ArrayList<>(thread);
      Collections.shuffle(shuffled, random);
      assertThat(Ledger.fold(Ledger.entries(shuffled))).isEqualTo(expected);
    }
  }

  private static Ledger.Entry entry(long ts, Ledger.Op op, String id) {
    return new Ledger.Entry(ts, op, id, "w-" + id, op == Ledger.Op.CLAIM ? 10 : 0);
  }

  @Test
  void redrive_ofADeadMessage_freesIt_andItsAttemptsStartAgain() {
    List<Ledger.Entry> dead =
        List.of(
            entry(1, Ledger.Op.CLAIM, "c1"),
            entry(2, Ledger.Op.RELEASE, "c1"),
            entry(3, Ledger.Op.CLAIM, "c2"),
            entry(4, Ledger.Op.DEAD, "c2"));
    assertThat(Ledger.fold(dead).dead()).isTrue();
    assertThat(Ledger.fold(dead).attempts()).isEqualTo(2);
    List<Ledger.Entry> redriven = new ArrayList<>(dead);
    redriven.add(entry(50, Ledger.Op.REDRIVE, "r1"));
    Ledger.State s = Ledger.fold(redriven);
    assertThat(s.dead()).isFalse();
    assertThat(s.released()).isTrue();
    assertThat(s.attempts()).isZero();
    assertThat(s.liveAt(50)).isFalse();
    // A claim before the redrive's ts stays invalid; the first claim after it holds, alone.
    redriven.add(entry(45, Ledger.Op.CLAIM, "early"));
    redriven.add(entry(60, Ledger.Op.CLAIM, "c3"));
    redriven.add(entry(70, Ledger.Op.CLAIM, "c4"));
    redriven.sort(java.util.Comparator.comparingLong(Ledger.Entry::ts));
    s = Ledger.fold(redriven);
    assertThat(s.holder().id()).isEqualTo("c3");
    assertThat(s.attempts()).isEqualTo(1);
  }

  @Test
  void redrive_ofAMessageThatIsNotDead_changesNothing_soItNeverFreesALiveLease() {
    List<Ledger.Entry> held = List.of(entry(1, Ledger.Op.CLAIM, "c1"));
    List<Ledger.Entry> redriven =
        List.of(
            entry(1, Ledger.Op.CLAIM, "c1"),
            entry(2, Ledger.Op.REDRIVE, "r1"),
            entry(3, Ledger.Op.CLAIM, "c2"));
    Ledger.State s = Ledger.fold(redriven);
    assertThat(s.heldBy("c1")).isTrue();
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.holder()).isEqualTo(Ledger.fold(held).holder());
    // Two redrives of one dead message (two operators, or a post stored twice) count once.
    List<Ledger.Entry> twice =
        List.of(
            entry(1, Ledger.Op.CLAIM, "c1"),
            entry(2, Ledger.Op.DEAD, "c1"),
            entry(3, Ledger.Op.REDRIVE, "r1"),
            entry(4, Ledger.Op.CLAIM, "c2"),
            entry(5, Ledger.Op.REDRIVE, "r2"),
            entry(6, Ledger.Op.CLAIM, "c3"));
    s = Ledger.fold(twice);
    assertThat(s.heldBy("c2")).isTrue();
    assertThat(s.attempts()).isEqualTo(1);
  }

  @Test
  void redrivePost_parsesFromMetadataAndFromItsText_withWhoAndWhy() {
    Ledger.Post post = Ledger.redrivePost(ID, "ops@laptop", "key rotated\n[really]");
    assertThat(post.eventType()).isEqualTo("slackmq_redrive");
    assertThat(post.payload()).containsEntry("worker", "ops@laptop");
    assertThat(post.text()).contains("redriven by ops@laptop: key rotated really ");
    var fromMeta =
        Ledger.parse(
            new SlackPort.Reply(
                "1.000001", true, false, post.text(), post.eventType(), post.payload()));
    var fromText = Ledger.parse(new SlackPort.Reply("1.000001", true, false, post.text()));
    assertThat(fromMeta).isPresent();
    assertThat(fromText).isEqualTo(fromMeta);
    assertThat(fromMeta.get().op()).isEqualTo(Ledger.Op.REDRIVE);
  }
}
