package io.slackmq.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.examples.ScheduledReport.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ShedLock example's embedded run, in-process, as `examples/run scheduled-report` runs it. */
class ScheduledReportExampleTest {

  @Test
  @Timeout(40)
  void twoInstancesTickingEveryPeriod_runTheReportOncePerPeriod() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Result result = ScheduledReport.run(4, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(result.reports()).hasSize(4);
    assertThat(result.reports())
        .allMatch(r -> r.matches("report for period [1-4] by instance-[ab]"));
    assertThat(result.oncePerPeriod()).isTrue();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Once per period: yes");
  }

  @Test
  void oncePerPeriod_aPeriodRunTwiceOrMissed_isFalse() {
    String a1 = "report for period 1 by instance-a";
    String b1 = "report for period 1 by instance-b";
    String b2 = "report for period 2 by instance-b";
    assertThat(new Result(List.of(a1, b2), 2).oncePerPeriod()).isTrue();
    assertThat(new Result(List.of(a1, b1), 2).oncePerPeriod()).isFalse();
    assertThat(new Result(List.of(a1), 2).oncePerPeriod()).isFalse();
  }
}
