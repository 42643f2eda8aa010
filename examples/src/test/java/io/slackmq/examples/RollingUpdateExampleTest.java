package io.slackmq.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.examples.RollingUpdate.Result;
import io.slackmq.examples.RollingUpdate.Step;
import io.slackmq.examples.RollingUpdate.Step.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rolling-update example's embedded run, in-process, as `examples/run rolling-update`. */
class RollingUpdateExampleTest {
  private static final List<String> FLEET = List.of("w1", "w2", "w3");

  @Test
  @Timeout(60)
  void run_fleetOfThree_canaryFirstThenTheRestOneAtATimeAfterApproval() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Result result = RollingUpdate.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(result.order()).hasSize(3).containsExactlyInAnyOrderElementsOf(FLEET);
    assertThat(result.timeline())
        .extracting(Step::kind)
        .containsExactly(
            Kind.UPDATING,
            Kind.UPDATED,
            Kind.APPROVED,
            Kind.UPDATING,
            Kind.UPDATED,
            Kind.UPDATING,
            Kind.UPDATED);
    // each turn is one worker's start and end, back to back
    List<Step> turns = result.timeline().stream().filter(s -> s.kind() != Kind.APPROVED).toList();
    for (int i = 0; i < turns.size(); i += 2) {
      assertThat(turns.get(i + 1).who()).isEqualTo(turns.get(i).who());
    }
    assertThat(result.markedDone()).isTrue();
    assertThat(result.ok()).isTrue();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Never two at once: yes");
  }

  @Test
  void checks_overlapDuplicateOrEarlyTurn_areCaught() {
    Step approve = step("alice", Kind.APPROVED);
    List<Step> good =
        List.of(
            step("w2", Kind.UPDATING),
            step("w2", Kind.UPDATED),
            approve,
            step("w1", Kind.UPDATING),
            step("w1", Kind.UPDATED),
            step("w3", Kind.UPDATING),
            step("w3", Kind.UPDATED));
    List<Step> overlap =
        List.of(
            step("w2", Kind.UPDATING),
            step("w2", Kind.UPDATED),
            approve,
            step("w1", Kind.UPDATING),
            step("w3", Kind.UPDATING),
            step("w1", Kind.UPDATED),
            step("w3", Kind.UPDATED));
    List<Step> twice =
        List.of(
            step("w2", Kind.UPDATING),
            step("w2", Kind.UPDATED),
            approve,
            step("w2", Kind.UPDATING),
            step("w2", Kind.UPDATED),
            step("w3", Kind.UPDATING),
            step("w3", Kind.UPDATED));
    List<Step> early =
        List.of(
            step("w2", Kind.UPDATING),
            step("w2", Kind.UPDATED),
            step("w1", Kind.UPDATING),
            step("w1", Kind.UPDATED),
            approve,
            step("w3", Kind.UPDATING),
            step("w3", Kind.UPDATED));

    assertThat(new Result(FLEET, good, true).ok()).isTrue();
    assertThat(new Result(FLEET, good, false).ok()).isFalse();
    assertThat(new Result(FLEET, overlap, true).oneAtATime()).isFalse();
    assertThat(new Result(FLEET, twice, true).eachOnce()).isFalse();
    assertThat(new Result(FLEET, early, true).canaryWaitedForApproval()).isFalse();
  }

  private static Step step(String who, Kind kind) {
    return new Step(Duration.ZERO, who, kind, kind.toString());
  }
}
