package io.slackmq.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A separate worker process for the multi-process tests. Tokens come from the environment (the
 * emulator's env map), never from the command line.
 *
 * <pre>
 * race apiUrl channel faults outFile job...
 *   job = strategy,tokenEnvVar,user,tasksFile: one racing thread per job, each for its own
 *   tasks (one ts a line); prints "READY", starts racing when a line arrives on stdin; writes "T nanoTime" (when it started), RaceHarness.Hold lines,
 *   MarkLog.Event lines and "F code" failure lines to outFile
 * hold apiUrl tokenEnvVar channel strategy ttlMillis workerId ts...
 *   acquires each ts, prints "ACQUIRED" once all are held (else "NOT outcome"), and keeps the
 *   leases without renewing until killed
 * </pre>
 */
public final class RaceWorkerMain {
  private RaceWorkerMain() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("hold")) {
      hold(args);
      return;
    }
    long started = System.nanoTime();
    String apiUrl = args[1];
    String channel = args[2];
    boolean faults = Boolean.parseBoolean(args[3]);
    MarkLog marks = new MarkLog();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Future<List<RaceHarness.Hold>>> jobs = new ArrayList<>();
    List<LockClient> clients = new ArrayList<>();
    String me = "p" + ProcessHandle.current().pid();
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 5; i < args.length; i++) {
      String[] job = args[i].split(",");
      LockClient.Builder b =
          LockClient.builder()
              .apiUrl(apiUrl)
              .token(System.getenv(job[1]))
              .strategy(RaceHarness.parse(job[0]))
              .ttl(Duration.ofSeconds(10))
              .pacing(false)
              .maxRetries(3)
              .readLagBound(Duration.ZERO) // no read lag unless faults (RaceTest.faulty sets it)
              .workerId(me + "-" + job[0].replace('+', '.'));
      LockClient client = marks.record((faults ? RaceTest.faulty(b) : b).build(), job[2]);
      clients.add(client);
      List<String> tasks = Files.readAllLines(Path.of(job[3]));
      Set<String> seen = ConcurrentHashMap.newKeySet();
      jobs.add(
          pool.submit(
              () -> {
                start.await();
                return RaceHarness.run(
                    client, tasks, channel, me.hashCode(), failures, seen, Duration.ofSeconds(90));
              }));
    }
    // Start together: JVMs come up seconds apart on a loaded box, and a process that started
    // alone would take every message before the others arrive.
    System.out.println("READY");
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    List<String> lines = new ArrayList<>();
    lines.add("T " + started);
    start.countDown();
    for (Future<List<RaceHarness.Hold>> job : jobs) {
      job.get().forEach(h -> lines.add(h.line()));
    }
    marks.events().forEach(e -> lines.add(e.line()));
    failures.forEach(f -> lines.add("F " + f));
    Files.write(Path.of(args[4]), lines);
    clients.forEach(LockClient::close);
    System.exit(0);
  }

  private static void hold(String[] args) throws InterruptedException {
    LockClient client =
        LockClient.builder()
            .apiUrl(args[1])
            .token(System.getenv(args[2]))
            .strategy(RaceHarness.parse(args[4]))
            .ttl(Duration.ofMillis(Long.parseLong(args[5])))
            .workerId(args[6])
            .pacing(false)
            .readLagBound(Duration.ofMillis(500)) // above any read lag the tests inject
            .build();
    String answer = "ACQUIRED";
    for (int i = 7; i < args.length; i++) {
      Outcome o = client.acquire(args[3], args[i]);
      if (!(o instanceof Outcome.Acquired)) {
        answer = "NOT " + o;
      }
    }
    System.out.println(answer);
    System.out.flush();
    new CountDownLatch(1).await(); // hold until kill -9
  }
}
