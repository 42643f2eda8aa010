package io.slackmq.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.slackmq.emulator.Emulator;
import io.slackmq.emulator.Faults.ErrorKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension's scopes and misuse, each case a small test class run by JUnit inside this test
 * (EngineTestKit), so failures of the class under test are what is asserted.
 */
class ExtensionLifecycleTest {
  /** What the classes under test saw, in order. */
  static final List<Object> seen = new CopyOnWriteArrayList<>();

  static int port;

  @BeforeEach
  void clear() {
    seen.clear();
  }

  private static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
  }

  private static String failure(EngineExecutionResults results) {
    Event failed = results.allEvents().failed().stream().findFirst().orElseThrow();
    return failed
        .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
        .getThrowable()
        .orElseThrow()
        .getMessage();
  }

  // ---- scopes -------------------------------------------------------------------------------

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StaticField {
    @RegisterExtension
    static LocalSlackExtension slack =
        LocalSlackExtension.builder()
            .apps("app-1")
            .faults(f -> f.errorRate("api.test", ErrorKind.INTERNAL_ERROR, 1.0))
            .build();

    @Test
    @Order(1)
    void first() throws Exception {
      seen.add(slack.emulator());
      slack.post("one");
      assertThat(slack.bot("app-1").apiTest(r -> r).getError()).isEqualTo("internal_error");
      slack.faults().clear();
    }

    @Test
    @Order(2)
    void second() throws Exception {
      seen.add(slack.emulator());
      assertThat(slack.history()).isEmpty();
      // The builder's fault is back after the reset, though the first test cleared it.
      assertThat(slack.bot("app-1").apiTest(r -> r).getError()).isEqualTo("internal_error");
    }
  }

  @Test
  void staticField_oneLocalSlackPerClass_resetBeforeEachTest_closedAfterTheClass() {
    run(StaticField.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isSameAs(seen.get(1));
    assertThat(StaticField.slack.toString()).isEqualTo("LocalSlackExtension[not running]");
  }

  static class InstanceField {
    @RegisterExtension LocalSlackExtension slack = LocalSlackExtension.builder().build();

    @Test
    void one(LocalSlack injected) {
      seen.add(slack.emulator());
      seen.add(slack);
      assertThat(injected).isSameAs(slack);
      slack.post("one");
    }

    @Test
    void two() {
      seen.add(slack.emulator());
      seen.add(slack);
      assertThat(slack.history()).isEmpty();
    }
  }

  @Test
  void instanceField_oneLocalSlackPerTest_closedAfterIt() {
    run(InstanceField.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(seen).hasSize(4);
    assertThat(seen.get(0)).isInstanceOf(Emulator.class).isNotSameAs(seen.get(2));
    assertThat(seen.get(1).toString()).isEqualTo("LocalSlackExtension[not running]");
    assertThat(seen.get(3).toString()).isEqualTo("LocalSlackExtension[not running]");
  }

  @LocalSlackTest(resetBetweenTests = false)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class NoReset {
    @Test
    @Order(1)
    void first(LocalSlack slack) {
      slack.post("kept");
    }

    @Test
    @Order(2)
    void second(LocalSlack slack) {
      seen.add(slack.history().size());
      seen.add(slack.requests("chat.postMessage").size());
    }
  }

  @Test
  void resetBetweenTestsFalse_keepsMessagesAndRecordings() {
    run(NoReset.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(seen).containsExactly(1, 1);
  }

  // ---- misuse -------------------------------------------------------------------------------

  static class TwoOnOnePort {
    @RegisterExtension
    static LocalSlackExtension first = LocalSlackExtension.builder().port(port).build();

    @RegisterExtension
    static LocalSlackExtension second = LocalSlackExtension.builder().port(port).build();

    @Test
    void never() {
      seen.add("ran");
    }
  }

  @Test
  void twoExtensionsOnOneFixedPort_failNamingThePortAndItsHolder() throws IOException {
    port = freePort();

    EngineExecutionResults results = run(TwoOnOnePort.class);

    assertThat(seen).isEmpty();
    assertThat(failure(results))
        .isEqualTo(
            "port "
                + port
                + " is already taken by the local Slack of "
                + TwoOnOnePort.class.getName()
                + ": two local Slacks cannot share one port. Give the one of "
                + TwoOnOnePort.class.getName()
                + " another port, or port 0 (the default), which picks a free one.");
    assertThat(TwoOnOnePort.first.toString()).contains("not running");
  }

  static class PortOfAnotherProcess {
    @RegisterExtension
    static LocalSlackExtension slack = LocalSlackExtension.builder().port(port).build();

    @Test
    void never() {
      seen.add("ran");
    }
  }

  @Test
  void aFixedPortInUseElsewhere_failsNamingIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = taken.getLocalPort();

      assertThat(failure(run(PortOfAnotherProcess.class)))
          .startsWith(
              "the local Slack of "
                  + PortOfAnotherProcess.class.getName()
                  + " cannot listen on port "
                  + port
                  + ": another process uses it");
    }
    assertThat(seen).isEmpty();
  }

  static class ParameterOnly {
    @Test
    void test(@ExtendWith(LocalSlackExtension.class) LocalSlack slack) {
      seen.add(slack);
    }
  }

  @Test
  void registeredOnAParameter_thatTestGetsItsOwn() {
    run(ParameterOnly.class).testEvents().assertStatistics(s -> s.succeeded(1));

    assertThat(seen).singleElement().asString().isEqualTo("LocalSlackExtension[not running]");
  }

  @Test
  void aClosedLocalSlack_saysItIsNotRunning() {
    LocalSlack slack = LocalSlack.start();
    slack.close();
    slack.close(); // twice is fine

    org.assertj.core.api.Assertions.assertThatThrownBy(slack::apiUrl)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("this local Slack is not running");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
