package io.slackmq.cli;

import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import io.slackmq.worker.Delivery;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The console tests' queue: a local Slack (Slack's rate limits, 60 times faster), and one worker of
 * each of its two apps over Socket Mode (w-a, w-b) that answer {@code task NAME} once the test
 * opens {@link #gate}, and take turns on {@code rolling-update V} with the canary {@code +1}.
 */
final class ConsoleFleet implements AutoCloseable {
  static final double TIME_SCALE = 60;

  final LocalSlack slack;
  final List<SlackMQWorker> workers = new ArrayList<>();

  /** Tasks wait here until the test has seen them held. */
  final CountDownLatch gate = new CountDownLatch(1);

  ConsoleFleet(Emulator.Builder emulator) throws Exception {
    slack = LocalSlack.start(emulator.timeScale(TIME_SCALE));
    for (String app : List.of("slackmq-a", "slackmq-b")) {
      String id = app.equals("slackmq-a") ? "w-a" : "w-b";
      SlackMQWorker w =
          worker(slack, app, id)
              .leaseTtl(Duration.ofSeconds(20))
              .sweepGrace(Duration.ofSeconds(4))
              .retryDelay(Duration.ofMillis(500))
              .fleet("w-a", "w-b")
              .canary("+1")
              .build();
      w.listen(
          "^task (\\S+)$",
          ctx -> {
            if (!gate.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the test never opened the gate");
            }
            ctx.replyInThread("task " + ctx.group(1) + " done by " + id);
          });
      w.listen(
          "^rolling-update (\\S+)$",
          Delivery.ROLLING,
          ctx -> ctx.replyInThread(id + " updated to " + ctx.group(1)));
      workers.add(w);
    }
    for (SlackMQWorker w : workers) {
      w.start();
    }
  }

  /** A worker of {@code app} over Socket Mode on the queue's channel, at the tests' time scale. */
  static WorkerBuilder worker(LocalSlack slack, String app, String id) {
    return SlackMQWorker.builder()
        .apiUrl(slack.apiUrl())
        .botToken(slack.botToken(app))
        .appToken(slack.appToken(app))
        .channels(slack.channel())
        .sources(SlackMQWorker.Source.SOCKET_MODE)
        .workerId(id)
        .timeScale(TIME_SCALE)
        .sweepInterval(Duration.ofSeconds(1));
  }

  /** A console on loopback (any free port) for this Slack, reading as app A, acting as alice. */
  ConsoleSettings console(boolean readOnly) {
    return new ConsoleSettings(
        slack.apiUrl(),
        slack.botToken("slackmq-a"),
        slack.userToken("alice"),
        slack.channel(),
        "127.0.0.1",
        0,
        null,
        null, // asks the local Slack
        100,
        readOnly,
        null);
  }

  @Override
  public void close() {
    gate.countDown();
    workers.parallelStream().forEach(w -> w.stop(Duration.ofSeconds(5)));
    slack.close();
  }
}
