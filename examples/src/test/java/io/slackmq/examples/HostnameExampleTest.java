package io.slackmq.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.examples.HostnameWorker.Answer;
import io.slackmq.examples.HostnameWorker.Flavour;
import io.slackmq.examples.HostnameWorker.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hostname example's embedded run, in-process, as `examples/run hostname` runs it. */
class HostnameExampleTest {

  @ParameterizedTest
  @EnumSource(Flavour.class)
  @Timeout(40)
  void run_threeWorkersFiveMessages_eachAnsweredExactlyOnce(Flavour flavour) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Result result =
        HostnameWorker.run(flavour, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(result.answers())
        .hasSize(5)
        .allSatisfy(
            a ->
                assertThat(a.replies())
                    .singleElement()
                    .asString()
                    .matches("I am running on host-[123]"));
    assertThat(result.answers()).extracting(Answer::ts).doesNotHaveDuplicates();
    assertThat(result.exactlyOnce()).isTrue();
    assertThat(result.perHost().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Answered exactly once: yes (5 of 5)");
  }

  @Test
  void exactlyOnce_aMessageAnsweredTwiceOrNotAtAll_isFalse() {
    Answer once = new Answer(1, "1.000001", java.util.List.of("I am running on host-1"));
    Answer twice =
        new Answer(
            2, "1.000002", java.util.List.of("I am running on host-1", "I am running on host-3"));
    Answer none = new Answer(3, "1.000003", java.util.List.of());
    java.time.Duration t = java.time.Duration.ofSeconds(1);

    assertThat(new Result(Flavour.IDIOMATIC, java.util.List.of(once), t).exactlyOnce()).isTrue();
    assertThat(new Result(Flavour.IDIOMATIC, java.util.List.of(once, twice), t).exactlyOnce())
        .isFalse();
    assertThat(new Result(Flavour.IDIOMATIC, java.util.List.of(once, none), t).exactlyOnce())
        .isFalse();
    assertThat(new Result(Flavour.IDIOMATIC, java.util.List.of(once, twice), t).perHost())
        .isEqualTo(Map.of("host-1", 2, "host-3", 1));
  }
}
