package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import io.slackmq.emulator.Faults.ErrorKind;
import io.slackmq.emulator.Mutation.MessagePosted;
import io.slackmq.emulator.Mutation.PinAdded;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FaultsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void commitExclusive_windowClosed_exactlyOneOfTwoConcurrentCallersWins() throws Exception {
    Workspace ws = workspaceWithOneMessage();
    Faults faults = new Faults(1);
    assertThat(concurrentPins(ws, faults)).containsExactlyInAnyOrder("ok", "already_pinned");
  }

  @Test
  void commitExclusive_raceWindowOpen_bothConcurrentCallersWin() throws Exception {
    Workspace ws = workspaceWithOneMessage();
    Faults faults =
        new Faults(1).raceDelay(Duration.ofMillis(300)).raceWindow(Duration.ofSeconds(30));
    assertThat(faults.raceWindowOpen()).isTrue();
    assertThat(concurrentPins(ws, faults)).containsExactly("ok", "ok");
  }

  @Test
  void raceWindow_expires_checksAreAtomicAgain() throws Exception {
    Workspace ws = workspaceWithOneMessage();
    Faults faults = new Faults(1).raceWindow(Duration.ofMillis(1));
    org.awaitility.Awaitility.await().until(() -> !faults.raceWindowOpen());
    assertThat(concurrentPins(ws, faults)).containsExactlyInAnyOrder("ok", "already_pinned");
  }

  @Test
  void raceWindow_overTheWebApi_pinsReactionsAndStarsAllowDoubleWins() throws Exception {
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      var env = slack.env();
      String ch = env.get("SLACK_CHANNEL");
      String ts =
          SdkClients.methods(slack, env.get("SLACK_USER_TOKEN_ALICE"))
              .chatPostMessage(r -> r.channel(ch).text("deploy web-7"))
              .getTs();
      String botA = env.get("SLACK_BOT_TOKEN_SLACKMQ_A");
      String botB = env.get("SLACK_BOT_TOKEN_SLACKMQ_B");
      String alice = env.get("SLACK_USER_TOKEN_ALICE");
      slack.faults().raceDelay(Duration.ofMillis(300)).raceWindow(Duration.ofSeconds(30));

      assertThat(
              concurrently(
                  () ->
                      SdkClients.methods(slack, botA)
                          .pinsAdd(r -> r.channel(ch).timestamp(ts))
                          .getError(),
                  () ->
                      SdkClients.methods(slack, botB)
                          .pinsAdd(r -> r.channel(ch).timestamp(ts))
                          .getError()))
          .containsOnlyNulls()
          .hasSize(2);
      Callable<String> react =
          () ->
              SdkClients.methods(slack, botA)
                  .reactionsAdd(r -> r.channel(ch).timestamp(ts).name("eyes"))
                  .getError();
      assertThat(concurrently(react, react)).containsOnlyNulls().hasSize(2);
      Callable<String> star =
          () ->
              SdkClients.methods(slack, alice)
                  .starsAdd(r -> r.channel(ch).timestamp(ts))
                  .getError();
      assertThat(concurrently(star, star)).containsOnlyNulls().hasSize(2);

      slack.faults().clear();
      String ts2 =
          SdkClients.methods(slack, alice)
              .chatPostMessage(r -> r.channel(ch).text("deploy web-8"))
              .getTs();
      assertThat(
              concurrently(
                  () ->
                      SdkClients.methods(slack, botA)
                          .pinsAdd(r -> r.channel(ch).timestamp(ts2))
                          .getError(),
                  () ->
                      SdkClients.methods(slack, botB)
                          .pinsAdd(r -> r.channel(ch).timestamp(ts2))
                          .getError()))
          .containsExactlyInAnyOrder(null, "already_pinned");
    }
  }

  /** Runs the calls at the same moment and returns their results in order. */
  @SafeVarargs
  private static List<String> concurrently(Callable<String>... calls) throws Exception {
    CyclicBarrier start = new CyclicBarrier(calls.length);
    ExecutorService pool = Executors.newFixedThreadPool(calls.length);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (Callable<String> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      List<String> out = new ArrayList<>();
      for (Future<String> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void errorRate_sameSeed_sameSequenceOfFailures() throws Exception {
    List<String> first = apiTestOutcomes(42);
    List<String> second = apiTestOutcomes(42);
    assertThat(first).isEqualTo(second);
    assertThat(first).contains("ok", "internal_error", "fatal_error");
    assertThat(apiTestOutcomes(43)).isNotEqualTo(first);
  }

  @Test
  void http500_sdkThrowsWithStatus500() {
    try (Emulator slack =
        Emulator.builder()
            .noRateLimits()
            .faults(f -> f.errorRate("auth.test", ErrorKind.HTTP_500, 1.0))
            .start()) {
      assertThatThrownBy(
              () -> SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN")).authTest(r -> r))
          .isInstanceOfSatisfying(
              SlackApiException.class, e -> assertThat(e.getResponse().code()).isEqualTo(500));
    }
  }

  @Test
  void timeout_holdsPastTheClientTimeout_thenRunsTheCall() {
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      slack
          .faults()
          .errorRate("auth.test", ErrorKind.TIMEOUT, 1.0)
          .timeoutHold(Duration.ofMillis(800));
      SlackConfig config = new SlackConfig();
      config.setMethodsEndpointUrlPrefix(slack.apiUrl());
      config.setStatsEnabled(false);
      config.setHttpClientReadTimeoutMillis(200);
      assertThatThrownBy(
              () ->
                  Slack.getInstance(config)
                      .methods(slack.env().get("SLACK_BOT_TOKEN"))
                      .authTest(r -> r))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void latency_delaysEveryCall() throws Exception {
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      var methods = SdkClients.slack(slack).methods();
      assertThat(methods.apiTest(r -> r).isOk()).isTrue(); // warm: connection and classes loaded
      // A latency well above a loaded box's stalls, so "not delayed" can be told apart safely.
      Duration latency = Duration.ofMillis(1000);
      slack.faults().latency("*", latency, Duration.ofMillis(50));
      long start = System.nanoTime();
      assertThat(methods.apiTest(r -> r).isOk()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency);
      slack.faults().clear();
      start = System.nanoTime();
      assertThat(methods.apiTest(r -> r).isOk()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(latency);
    }
  }

  @Test
  void adminApi_configureReadAndClear() throws Exception {
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      String base = "http://127.0.0.1:" + slack.port() + "/_emulator/faults";
      HttpResponse<String> set =
          post(
              base,
              "{\"seed\":7,\"methods\":{\"pins.add\":{\"internal_error\":0.25,"
                  + "\"latencyMillis\":5}},\"events\":{\"duplicateRate\":0.5},\"sockets\":{\"refuseRate\":0.1}}");
      assertThat(set.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(set.body()).at("/methods/pins.add/internal_error").asDouble())
          .isEqualTo(0.25);
      assertThat(slack.faults().toJson().at("/events/duplicateRate").asDouble()).isEqualTo(0.5);
      HttpResponse<String> race =
          post(base + "/race-window", "{\"millis\":60000,\"delayMillis\":10}");
      assertThat(Json.MAPPER.readTree(race.body()).at("/raceWindow/millis").asLong()).isPositive();
      assertThat(slack.faults().raceWindowOpen()).isTrue();
      HttpResponse<String> bad = post(base, "{\"methods\":{\"pins.add\":{\"timeout\":7}}}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("invalid_arguments").contains("within 0..1");
      HttpResponse<String> cleared =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base)).DELETE().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Json.MAPPER.readTree(cleared.body()).path("methods").size()).isZero();
      assertThat(slack.faults().raceWindowOpen()).isFalse();
    }
  }

  static HttpResponse<String> post(String url, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> apiTestOutcomes(long seed) throws Exception {
    try (Emulator slack =
        Emulator.builder()
            .noRateLimits()
            .seed(seed)
            .faults(
                f ->
                    f.errorRate("api.test", ErrorKind.INTERNAL_ERROR, 0.3)
                        .errorRate("api.test", ErrorKind.FATAL_ERROR, 0.2))
            .start()) {
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        // Calls to another method in between do not shift api.test's stream.
        SdkClients.slack(slack).methods().authTest(r -> r.token("xoxb-unknown"));
        var r = SdkClients.slack(slack).methods().apiTest(q -> q);
        outcomes.add(r.isOk() ? "ok" : r.getError());
      }
      return outcomes;
    }
  }

  private static Workspace workspaceWithOneMessage() {
    Workspace ws = new Workspace(new EmulatorClock(1));
    new Provisioner(ws, new Ids(1)).provision(WorkspaceSpec.defaults());
    Channel ch = ws.channelList().get(0);
    String alice = ch.members().iterator().next();
    ws.commit(
        new MessagePosted(ch.id, ws.nextTs(ch), alice, null, null, "deploy", null, false, null));
    return ws;
  }

  /** Two threads pin the one message at once through {@link Faults#commitExclusive}. */
  private static List<String> concurrentPins(Workspace ws, Faults faults) throws Exception {
    Channel ch = ws.channelList().get(0);
    long ts = ch.messages().firstKey();
    List<Callable<String>> pins = new ArrayList<>();
    for (String user : List.of("U1", "U2")) {
      pins.add(
          () -> {
            try {
              faults.commitExclusive(
                  ws,
                  () -> {
                    Message m = ch.message(ts);
                    if (m.pin() != null) {
                      throw new SlackError("already_pinned");
                    }
                    return new PinAdded(ch.id, ts, user, 1);
                  });
              return "ok";
            } catch (SlackError e) {
              return e.code();
            }
          });
    }
    return concurrently(pins.get(0), pins.get(1));
  }
}
