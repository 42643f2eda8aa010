package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.model.Message;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker killed with SIGKILL mid-job: another worker finishes its message after the ttl. */
class CrashRecoveryTest {
  @TempDir Path dir;
  private TestSlack slack;
  private Process child;
  private SlackMQWorker survivor;

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (survivor != null) {
      survivor.stop(Duration.ofSeconds(5));
    }
    if (slack != null) {
      slack.close();
    }
  }

  /** Starts the child worker and returns the ts of the job it started on. */
  private String childStartedJob() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcessMain.class.getName(),
                slack.emulator.apiUrl(),
                slack.botToken(1),
                slack.channel,
                "doomed")
            .redirectError(new File(dir.toFile(), "child.log"))
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (java.io.IOException ignored) {
                // the child died
              }
            });
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("READY");
    String ts = slack.post("job 1");
    assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("STARTED " + ts);
    return ts;
  }

  @Test
  void sigterm_shutdownHookReleasesTheLease() throws Exception {
    slack = TestSlack.start(1);
    String ts = childStartedJob();
    child.destroy(); // SIGTERM
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    List<Message> thread = slack.thread(ts);
    assertThat(thread.get(0).getPinnedTo()).isNullOrEmpty();
    assertThat(thread)
        .extracting(Message::getText)
        .anyMatch(t -> t.contains("handed back by doomed") && t.contains("deadline passed"));
  }

  @Test
  void workerKilledMidJob_messageFinishedByAnotherAfterTheLeaseTtl() throws Exception {
    slack = TestSlack.start(2);
    String ts = childStartedJob();

    child.destroyForcibly(); // SIGKILL: no shutdown hook, no release
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(slack.thread(ts).get(0).getPinnedTo()).isNotEmpty(); // its lock is left behind

    List<String> finished = new CopyOnWriteArrayList<>();
    survivor = slack.worker(2, "survivor").sources(SlackMQWorker.Source.POLLING).build();
    survivor.listen(
        "^job",
        m -> {
          finished.add(m.ts() + " attempt " + m.attempt());
          m.replyInThread("finished what doomed started");
        });
    survivor.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> !finished.isEmpty());
    assertThat(finished).containsExactly(ts + " attempt 2");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> slack.thread(ts).get(0).getReactions() != null);
    Message parent = slack.thread(ts).get(0);
    assertThat(parent.getReactions()).extracting("name").contains("white_check_mark");
    assertThat(parent.getPinnedTo()).isNullOrEmpty();
  }
}
