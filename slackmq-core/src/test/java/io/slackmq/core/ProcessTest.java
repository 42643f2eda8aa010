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

/** Separate JVMs (ProcessBuilder, this test's class path) racing, and kill -9 of a holder. */
class ProcessTest {
  @TempDir Path dir;

  private Process worker(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), RaceWorkerMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  @Test
  void fiveProcesses_sameMessages_eachCompletedExactlyOnce() throws Exception {
    try (Fixture slack = Fixture.start()) {
      List<String> tasks = slack.postTasks(200);
      Path tasksFile = Files.write(dir.resolve("tasks.txt"), tasks);
      List<Process> procs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        procs.add(worker("race", slack.emulator.apiUrl(), i % 2 == 0 ? slack.botA() : slack.botB(),
            slack.channel, "PIN", "10000", "p" + i, tasksFile.toString(),
            dir.resolve("out" + i).toString()));
      }
      List<RaceHarness.Hold> holds = new ArrayList<>();
      for (int i = 0; i < procs.size(); i++) {
        Process p = procs.get(i);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        for (String line : Files.readAllLines(dir.resolve("out" + i))) {
          assertThat(line).doesNotStartWith("FAILED");
          holds.add(RaceHarness.Hold.parse(line));
        }
      }
      Map<String, Integer> completions = new HashMap<>();
      holds.forEach(h -> completions.merge(h.ts(), 1, Integer::sum));
      for (String ts : tasks) {
        assertThat(completions.getOrDefault(ts, 0)).as("completions of %s", ts).isEqualTo(1);
      }
      assertThat(holds.stream().map(RaceHarness.Hold::worker).distinct().count())
          .as("several processes won some").isGreaterThan(1);
    }
  }

  @Test
  void killedHolder_takenOverOnceAfterTtlNotBefore() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    try (Fixture slack = Fixture.start()) {
      String ts = slack.postTasks(1).get(0);
      Process holder = worker("hold", slack.emulator.apiUrl(), slack.botA(), slack.channel, "PIN",
          Long.toString(ttl.toMillis()), "doomed", ts);
      BufferedReader out = new BufferedReader(
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
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
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
