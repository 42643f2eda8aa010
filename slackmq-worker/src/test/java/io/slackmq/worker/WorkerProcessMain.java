package io.slackmq.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in its own JVM, for the kill -9 test: args apiUrl botToken channel workerId. Its handler
 * prints {@code STARTED <ts>} and then works forever (until the process is killed; SIGTERM runs the
 * shutdown hook, which releases the lease).
 */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) throws Exception {
    SlackMQWorker w =
        SlackMQWorker.builder()
            .apiUrl(args[0])
            .botToken(args[1])
            .channels(args[2])
            .workerId(args[3])
            .leaseTtl(Duration.ofSeconds(2))
            .sources(SlackMQWorker.Source.POLLING)
            .pollInterval(Duration.ofMillis(100))
            .sweepInterval(Duration.ofSeconds(30))
            .pacing(false)
            .timeScale(60)
            .shutdownHook(Duration.ofSeconds(1))
            .build();
    w.listen(
        "^job",
        m -> {
          System.out.println("STARTED " + m.ts());
          System.out.flush();
          new CountDownLatch(1).await();
        });
    w.start();
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
