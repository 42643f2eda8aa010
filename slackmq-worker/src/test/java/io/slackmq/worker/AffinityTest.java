package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several apps: each message's home app acts, the others only take over after the grace. */
class AffinityTest {
  private final List<SlackMQWorker> workers = new ArrayList<>();
  private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
  private TestSlack slack;

  @AfterEach
  void tearDown() {
    workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
    if (slack != null) {
      slack.close();
    }
  }

  private String botUser(int app) {
    return slack.env.get("SLACK_BOT_USER_APP_" + app);
  }

  /** A Socket Mode worker of {@code app}, told the fleet's apps, answering "job". */
  private SlackMQWorker start(int app, String id, Duration grace, String... apps) {
    SlackMQWorker w =
        slack
            .worker(app, id)
            .appToken(slack.appToken(app))
            .sources(SlackMQWorker.Source.SOCKET_MODE)
            .apps(apps)
            .affinityGrace(grace)
            .build();
    w.listen(
        "^job$",
        m -> {
          answers.computeIfAbsent(m.ts(), k -> new CopyOnWriteArrayList<>()).add(m.workerId());
          m.replyInThread("done by " + m.workerId());
        });
    workers.add(w);
    return w.start();
  }

  private List<String> post(int n) {
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      posted.add(slack.post("job"));
    }
    return posted;
  }

  private void assertEachAnsweredOnce(List<String> posted) {
    await().atMost(Duration.ofSeconds(60)).until(() -> answers.keySet().containsAll(posted));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> answers.values().stream().allMatch(l -> l.size() == 1));
    assertThat(answers).hasSize(posted.size());
  }

  private long calls(String method) {
    return workers.stream().mapToLong(w -> w.metrics().apiCalls().getOrDefault(method, 0L)).sum();
  }

  @Test
  void theHomeOfAMessage_isStableAndSpreadsOverTheApps() {
    List<String> apps = List.of("UAAAA", "UBBBB", "UCCCC");
    Map<String, Integer> share = new ConcurrentHashMap<>();
    for (int i = 0; i < 3000; i++) {
      String ts = "1700000000." + String.format("%06d", i * 37);
      String home = Affinity.home(apps, "C1", ts);
      assertThat(Affinity.home(apps, "C1", ts)).isEqualTo(home);
      share.merge(home, 1, Integer::sum);
    }
    assertThat(share.keySet()).containsExactlyInAnyOrderElementsOf(apps);
    assertThat(share.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
  }

  @Test
  void twoAppsTwoWorkersEach_eachMessageIsDoneByItsHomeApp_onceAndWithOnePinEach() {
    slack = TestSlack.start(2);
    String[] apps = {botUser(1), botUser(2)};
    Duration grace = Duration.ofSeconds(120); // 2 s real at the fixture's 60x
    start(1, "a-1", grace, apps);
    start(1, "a-2", grace, apps);
    start(2, "b-1", grace, apps);
    start(2, "b-2", grace, apps);
    List<String> posted = post(60);
    assertEachAnsweredOnce(posted);
    for (String ts : posted) {
      String home = Affinity.home(List.of(apps).stream().sorted().toList(), slack.channel, ts);
      String app = answers.get(ts).get(0).startsWith("a-") ? botUser(1) : botUser(2);
      assertThat(app).as("who answered " + ts).isEqualTo(home);
    }
    // Without affinity both apps mark every message; now only the home app does (its two workers
    // may both try: one pins, the other finds it pinned).
    assertThat(calls("pins.add")).isLessThanOrEqualTo((long) (posted.size() * 2));
    assertThat(calls("chat.delete")).isLessThanOrEqualTo(posted.size() / 2);
  }

  @Test
  void aDeadApp_itsShareIsTakenOverAfterTheGrace_exactlyOnce() {
    slack = TestSlack.start(2);
    String[] apps = {botUser(1), botUser(2)};
    Duration grace = Duration.ofSeconds(30); // 0.5 s real
    // app 2 is configured in the fleet but none of its workers runs
    SlackMQWorker a1 = start(1, "a-1", grace, apps);
    start(1, "a-2", grace, apps);
    List<String> posted = post(30);
    assertEachAnsweredOnce(posted);
    long homedElsewhere =
        posted.stream()
            .filter(
                ts ->
                    !Affinity.home(List.of(apps).stream().sorted().toList(), slack.channel, ts)
                        .equals(botUser(1)))
            .count();
    assertThat(homedElsewhere).isPositive(); // app 2's share existed, and app 1 did it
    assertThat(a1.state()).isEqualTo(SlackMQWorker.State.RUNNING);
  }

  @Test
  void oneAppNamed_makesReactionTheDefaultStrategy_andAStrategySetStays() {
    WorkerBuilder b = SlackMQWorker.builder().botToken("xoxb-x").channels("C1").apps("UONE");
    assertThat(b.build().toString()).isNotNull();
    assertThat(b.lock.build().toString()).contains("REACTION");
    WorkerBuilder pinned =
        SlackMQWorker.builder()
            .botToken("xoxb-x")
            .channels("C1")
            .strategy(io.slackmq.core.Strategy.PIN)
            .apps("UONE");
    pinned.build();
    assertThat(pinned.lock.build().toString()).doesNotContain("REACTION");
  }
}
