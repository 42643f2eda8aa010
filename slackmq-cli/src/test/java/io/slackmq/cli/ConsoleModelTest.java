package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import io.slackmq.cli.ConsoleView.MessageView;
import io.slackmq.core.ApiCalls;
import io.slackmq.core.MessageState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's picture of a channel, fed with the values Slack's reads return: what each message's
 * state is shown as, which threads it reads, and that none of it grows without bound.
 */
class ConsoleModelTest {
  static final ConsoleModel.Emoji EMOJI =
      new ConsoleModel.Emoji("lock", "white_check_mark", "skull");

  static Message message(long seconds, String text) {
    Message m = new Message();
    m.setTs(seconds + ".000100");
    m.setText(text);
    m.setUser("U1");
    return m;
  }

  static Message ledger(long seconds, String op, String worker) {
    Message r = message(seconds, op + " by " + worker);
    r.setBotId("B1");
    Message.Metadata md = new Message.Metadata();
    md.setEventType("slackmq_" + op);
    md.setEventPayload(Map.of("op", op, "worker", worker));
    r.setMetadata(md);
    return r;
  }

  @Test
  void theWindowKeepsTheNewestMessagesOnly() {
    ConsoleModel model = new ConsoleModel(100, EMOJI, id -> id);
    for (int round = 0; round < 10; round++) {
      List<Message> newestFirst = new ArrayList<>();
      for (int i = 999; i >= 0; i--) {
        newestFirst.add(message(1_800_000_000L + round * 1000 + i, "task " + i));
      }
      model.history(newestFirst);
    }
    List<MessageView> shown = model.messages(0);
    assertThat(shown).hasSize(100);
    assertThat(shown.get(0).ts()).isEqualTo((1_800_000_000L + 9999) + ".000100");
  }

  @Test
  void aLongThreadKeepsItsNewestEntries() {
    ConsoleModel model = new ConsoleModel(10, EMOJI, id -> id);
    Message parent = message(1_800_000_000L, "deploy web-1");
    model.history(List.of(parent));
    List<Message> thread = new ArrayList<>(List.of(parent));
    for (int i = 1; i <= 500; i++) {
      thread.add(ledger(1_800_000_000L + i, i == 1 ? "claim" : "renew", "w-1"));
    }
    Instant since = Instant.ofEpochSecond(1_800_000_001L);
    model.thread(
        parent.getTs(), new MessageState.Held("w-1", since, since.plusSeconds(1000), 1), thread);
    MessageView v = model.messages(since.toEpochMilli()).get(0);
    assertThat(v.timeline()).hasSize(ConsoleModel.MAX_TIMELINE);
    assertThat(v.omitted()).isEqualTo(500 - ConsoleModel.MAX_TIMELINE);
    assertThat(v.state()).isEqualTo("held");
    assertThat(v.holder()).isEqualTo("w-1");
  }

  @Test
  void workersAreThoseOfTheWindow_atMostACap() {
    ConsoleModel model = new ConsoleModel(200, EMOJI, id -> id);
    List<Message> newestFirst = new ArrayList<>();
    for (int i = 199; i >= 0; i--) {
      newestFirst.add(message(1_800_000_000L + i * 10, "task " + i));
    }
    model.history(newestFirst);
    for (int i = 0; i < 200; i++) {
      Message parent = newestFirst.get(199 - i);
      model.thread(
          parent.getTs(),
          new MessageState.Free(1, false),
          List.of(
              parent,
              ledger(1_800_000_001L + i * 10, "claim", "w-" + i),
              ledger(1_800_000_002L + i * 10, "release", "w-" + i)));
    }
    assertThat(model.workers(model.messages(0))).hasSize(ConsoleModel.MAX_WORKERS);
  }

  @Test
  void theChannelsMarks_showAMessageHeldOrDone_beforeItsThreadIsRead() {
    ConsoleModel model = new ConsoleModel(10, EMOJI, id -> id);
    Message m = message(1_800_000_000L, "deploy web-1");
    model.history(List.of(m));
    assertThat(model.messages(0).get(0).state()).isEqualTo("waiting");
    assertThat(model.toRead(5)).containsExactly(m.getTs());
    model.thread(m.getTs(), new MessageState.Free(0, false), List.of(m));
    assertThat(model.toRead(5)).as("unchanged since its read").isEmpty();

    m.setPinnedTo(List.of("C1"));
    assertThat(model.messages(0).get(0).state()).isEqualTo("held");
    assertThat(model.messages(0).get(0).holder()).isNull();
    assertThat(model.toRead(5)).as("pinned since its read").containsExactly(m.getTs());

    Reaction done = new Reaction();
    done.setName("white_check_mark");
    done.setCount(1);
    m.setReactions(List.of(done));
    assertThat(model.messages(0).get(0).state()).isEqualTo("done");
  }

  @Test
  void aDeadLetter_showsItsReason() {
    ConsoleModel model = new ConsoleModel(10, EMOJI, id -> id);
    Message m = message(1_800_000_000L, "deploy web-1");
    model.history(List.of(m));
    model.thread(m.getTs(), new MessageState.DeadLettered(3, "failed 3 times"), List.of(m));
    MessageView v = model.messages(0).get(0);
    assertThat(v.state()).isEqualTo("dead");
    assertThat(v.reason()).isEqualTo("failed 3 times");
    assertThat(v.attempts()).isEqualTo(3);
  }

  @Test
  void aLeaseRunsOutWithoutARead() {
    ConsoleModel model = new ConsoleModel(10, EMOJI, id -> id);
    Message m = message(1_800_000_000L, "deploy web-1");
    model.history(List.of(m));
    Instant since = Instant.ofEpochSecond(1_800_000_001L);
    model.thread(
        m.getTs(),
        new MessageState.Held("w-1", since, since.plusSeconds(60), 1),
        List.of(m, ledger(1_800_000_001L, "claim", "w-1")));
    assertThat(model.messages(since.plusSeconds(59).toEpochMilli()).get(0).state())
        .isEqualTo("held");
    assertThat(model.messages(since.plusSeconds(61).toEpochMilli()).get(0).state())
        .isEqualTo("expired");
    assertThat(model.toRead(5)).isEmpty();
  }

  @Test
  void theChartKeepsAnHourOfBuckets_andCountsOnlyWhatHappenedSinceTheStart() {
    ConsoleSeries series = new ConsoleSeries(60); // a bucket per real second
    ApiCalls none = new ApiCalls(Map.of(), Map.of());
    MessageView before = view("1.000100", "done", 1);
    MessageView waiting = view("2.000100", "waiting", 0);
    MessageView done = view("2.000100", "done", 2);
    series.record(0, List.of(before, waiting), ts -> ts.equals("1.000100"), Map.of(), none);
    series.record(500, List.of(before, done), ts -> ts.equals("1.000100"), Map.of(), none);
    var first = series.points().get(0);
    assertThat(first.completed()).isEqualTo(1); // not the one done before the console started
    assertThat(first.retries()).isEqualTo(1);
    for (long t = 1000; t < 3 * 3600_000L; t += 700) {
      series.record(t, List.of(before, done), ts -> false, Map.of(), none);
    }
    assertThat(series.points()).hasSize(ConsoleSeries.BUCKETS);
  }

  static MessageView view(String ts, String state, int attempts) {
    return new MessageView(
        ts,
        "t",
        "U1",
        state,
        null,
        null,
        null,
        attempts,
        null,
        false,
        List.of(),
        0,
        attempts > 0,
        List.of(),
        0,
        null);
  }

  @Test
  void theBudget_isEightPercentOfTier3_atAnyTimeScale() {
    ConsoleBudget real = ConsoleBudget.of(1, true);
    assertThat(real.tick().toMillis()).isEqualTo(15_000); // 4 history reads a minute
    assertThat(real.repliesPerTick()).isEqualTo(1); // and 4 thread reads
    ConsoleBudget demo = ConsoleBudget.of(60, true);
    assertThat(demo.tick().toMillis()).isEqualTo(250);
    assertThat(demo.repliesPerTick()).isEqualTo(1);
    ConsoleBudget fast = ConsoleBudget.of(600, true);
    assertThat(60_000.0 / fast.tick().toMillis()).isLessThanOrEqualTo(50 * 0.08 * 600);
    assertThat(fast.repliesPerTick() * 60_000.0 / fast.tick().toMillis())
        .isLessThanOrEqualTo(50 * 0.08 * 600);
    assertThat(ConsoleBudget.of(1, false).tick()).isEqualTo(ConsoleBudget.UNLIMITED_TICK);
  }
}
