package io.slackmq.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A separate worker process for the multi-process tests.
 *
 * <pre>
 * race apiUrl token channel strategy ttlMillis workerId tasksFile outFile
 *   races for the tasks (one ts a line), writes holds (RaceHarness.Hold lines) to outFile
 * hold apiUrl token channel strategy ttlMillis workerId ts
 *   acquires ts, prints "ACQUIRED", and keeps the lease without renewing until killed
 * </pre>
 */
public final class RaceWorkerMain {
  private RaceWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    LockClient client = LockClient.builder().apiUrl(args[1]).token(args[2])
        .strategy(RaceTest.parse(args[4])).ttl(Duration.ofMillis(Long.parseLong(args[5])))
        .workerId(args[6]).pacing(false).build();
    String channel = args[3];
    if (mode.equals("hold")) {
      Outcome o = client.acquire(channel, args[7]);
      System.out.println(o instanceof Outcome.Acquired ? "ACQUIRED" : "NOT " + o);
      System.out.flush();
      new CountDownLatch(1).await(); // hold until kill -9
      return;
    }
    List<String> tasks = Files.readAllLines(Path.of(args[7]));
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<RaceHarness.Hold> holds = RaceHarness.run(client, tasks, channel,
        args[6].hashCode(), failures, seen);
    List<String> lines = new ArrayList<>();
    holds.forEach(h -> lines.add(h.line()));
    failures.forEach(f -> lines.add("FAILED " + f));
    Files.write(Path.of(args[8]), lines);
    client.close();
    System.exit(0);
  }
}
