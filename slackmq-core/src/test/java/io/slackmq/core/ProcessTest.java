package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Separate JVMs (ProcessBuilder, this test's class path) racing, and kill -9 of a holder. */
class ProcessTest {
  @TempDir Path dir;

  static Process worker(Fixture slack, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                RaceWorkerMain.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(slack.env); // tokens by environment, not on the command line
    return pb.start();
  }

  static final List<String> STRATEGIES = List.of("PIN", "REACTION", "STAR", "PIN+REACTION");

  /**
   * Five JVMs race, each with one thread per strategy, for the same 200 messages per strategy (four
   * sets, raced at once to keep the suite quick). PIN alternates the two apps' bots; REACTION and
   * PIN+REACTION share one bot user; STAR shares alice's user token, as the seed used stars. With
   * faults: errors, latency and the race window (see RaceTest).
   */
  @ParameterizedTest(name = "faults={0}")
  @ValueSource(booleans = {false, true})
  void fiveProcesses_eachStrategy_completedExactlyOnceNoOverlap(boolean faults) throws Exception {
    try (Fixture slack = Fixture.start()) {
      Map<String, List<String>> tasks = new HashMap<>();
      for (String s : STRATEGIES) {
        tasks.put(s, slack.postTasks(200));
        Files.write(dir.resolve(s + ".txt"), tasks.get(s));
      }
      if (faults) {
        RaceTest.injectFaults(slack.emulator.faults());
      }
      long before = System.nanoTime();
      List<Process> procs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        List<String> args =
            new ArrayList<>(
                List.of(
                    "race",
                    slack.emulator.apiUrl(),
                    slack.channel,
                    Boolean.toString(faults),
                    dir.resolve("out" + i).toString()));
        for (String s : STRATEGIES) {
          String token =
              s.equals("STAR")
                  ? "SLACK_USER_TOKEN_ALICE"
                  : s.equals("PIN") && i % 2 == 1
                      ? "SLACK_BOT_TOKEN_SLACKMQ_B"
                      : "SLACK_BOT_TOKEN_SLACKMQ_A";
          String user = s.equals("STAR") ? "alice" : token.endsWith("_B") ? "botB" : "botA";
          args.add(s + "," + token + "," + user + "," + dir.resolve(s + ".txt"));
        }
        procs.add(worker(slack, args.toArray(String[]::new)));
      }
      List<BufferedReader> outs = new ArrayList<>();
      for (Process p : procs) {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
          line = out.readLine(); // blocks until the worker is up (or it died: null)
        } while (line != null && !line.equals("READY"));
        assertThat(line).as("worker came up").isEqualTo("READY");
        outs.add(out);
      }
      for (Process p : procs) { // go: all five race from the same moment
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
      }
      List<RaceHarness.Hold> holds = new ArrayList<>();
      List<MarkLog.Event> marks = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < procs.size(); i++) {
        Process p = procs.get(i);
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
        String output = outs.get(i).lines().collect(java.util.stream.Collectors.joining("\n"));
        assertThat(p.exitValue()).as(output).isZero();
        for (String line : Files.readAllLines(dir.resolve("out" + i))) {
          if (line.startsWith("T ")) {
            // The processes' nanoTime is the machine's monotonic clock (CLOCK_MONOTONIC on
            // Linux): the child's start lies between our spawn and our wait.
            assertThat(Long.parseLong(line.substring(2)))
                .as("shared monotonic clock")
                .isBetween(before, System.nanoTime());
          } else if (line.startsWith("H ")) {
            holds.add(RaceHarness.Hold.parse(line));
          } else if (line.startsWith("M ")) {
            marks.add(MarkLog.Event.parse(line));
          } else {
            failures.add(line.substring(2));
          }
        }
      }
      slack.emulator.faults().clear();
      for (String s : STRATEGIES) {
        String tag = "-" + s.replace('+', '.');
        List<RaceHarness.Hold> mine = holds.stream().filter(h -> h.worker().endsWith(tag)).toList();
        RaceHarness.assertExactlyOnceNoOverlap(tasks.get(s), mine);
        assertThat(
                mine.stream()
                    .filter(RaceHarness.Hold::completed)
                    .map(RaceHarness.Hold::worker)
                    .distinct()
                    .count())
            .as("%s: several processes won some", s)
            .isGreaterThan(1);
      }
      int doubleWins = MarkLog.doubleWins(marks);
      if (faults) {
        assertThat(doubleWins).as("the race window let two processes win one mark").isPositive();
        assertThat(failures).isSubsetOf(RaceTest.INJECTED);
      } else {
        assertThat(doubleWins).isZero();
        assertThat(failures).isEmpty();
      }
      System.out.printf(
          java.util.Locale.ROOT,
          "5 processes x %s, faults=%s: %d holds, %d double" + " wins, %d failures%n",
          STRATEGIES,
          faults,
          holds.size(),
          doubleWins,
          failures.size());
    }
  }

  @Test
  void killedHolder_takenOverOnceAfterTtlNotBefore() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    try (Fixture slack = Fixture.start()) {
      String ts = slack.postTasks(1).get(0);
      Process holder =
          worker(
              slack,
              "hold",
              slack.emulator.apiUrl(),
              "SLACK_BOT_TOKEN_SLACKMQ_A",
              slack.channel,
              "PIN",
              Long.toString(ttl.toMillis()),
              "doomed",
              ts);
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("ACQUIRED");
      LockClient a = slack.client(slack.botA(), Strategy.PIN, ttl).workerId("rescuer-a").build();
      LockClient b = slack.client(slack.botB(), Strategy.PIN, ttl).workerId("rescuer-b").build();
      MessageState held = a.inspect(slack.channel, ts);
      assertThat(held).isInstanceOf(MessageState.Held.class);
      Instant claimed = ((MessageState.Held) held).since();
      holder.destroyForcibly().waitFor(); // SIGKILL: no release, no cleanup
      // Two rescuers poll; exactly one takes over, and not before claim + ttl (server time).
      List<Outcome> acquired = new ArrayList<>();
      List<Instant> acquiredAt = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                for (LockClient c : List.of(a, b)) {
                  Outcome o = c.acquire(slack.channel, ts);
                  if (o instanceof Outcome.Acquired) {
                    acquired.add(o);
                    acquiredAt.add(Instant.now());
                  } else {
                    assertThat(o).isInstanceOfAny(Outcome.Held.class, Outcome.Done.class);
                  }
                }
                return !acquired.isEmpty();
              });
      assertThat(acquired).hasSize(1);
      assertThat(acquiredAt.get(0)).isAfter(claimed.plus(ttl));
      acquired.get(0).leaseIfAcquired().orElseThrow().complete();
      assertThat(a.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
      assertThat(((MessageState.Done) a.inspect(slack.channel, ts)).attempts()).isEqualTo(2);
      a.close();
      b.close();
    }
  }
}
