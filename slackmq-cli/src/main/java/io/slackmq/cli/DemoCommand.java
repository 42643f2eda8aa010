package io.slackmq.cli;

import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.SlackApi;
import io.slackmq.core.Strategy;
import io.slackmq.emulator.Emulator;
import io.slackmq.emulator.Faults;
import io.slackmq.worker.Delivery;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerBuilder;
import io.slackmq.worker.WorkerMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code slackmq demo}: the whole system in one run, on the embedded local Slack. Exits 0 only if
 * every message was completed exactly once.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local Slack (Slack's rate limits, time-scaled), a fleet of workers of two apps",
      "over Socket Mode, posts a batch of tasks as a human (hostname, deploy web-N, a rolling",
      "update with a canary), shows progress, then a summary. Exit code 0 only if every message",
      "was completed exactly once. --chaos also kills a worker mid-job and injects faults."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Workers in the fleet (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--messages",
      defaultValue = "40",
      description = "Tasks to post (default ${DEFAULT-VALUE}), plus one rolling update.")
  int messages;

  @Option(
      names = "--strategy",
      defaultValue = "pin",
      paramLabel = "MARKS",
      description =
          "pin (default: workers of two apps), reaction (workers share one app's bot user), pin+reaction, ...")
  String strategy;

  @Option(
      names = "--time-scale",
      defaultValue = "60",
      paramLabel = "X",
      description =
          "Emulated seconds per real second for Slack's rate limits (default ${DEFAULT-VALUE}: a minute lasts 1 s).")
  double timeScale;

  @Option(
      names = "--ttl",
      defaultValue = "PT3S",
      description = "Lease time-to-live (default ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--chaos",
      description =
          "Kill a worker mid-job; inject HTTP 500s, latency, duplicate events, socket refreshes and a race window.")
  boolean chaos;

  @Option(
      names = "--no-rolling",
      negatable = true,
      defaultValue = "true",
      description = "Include the rolling update (default: yes).")
  boolean rolling;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seeds the emulator, faults and task durations (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--verbose", description = "Show the workers' logs.")
  boolean verbose;

  @Option(
      names = "--timeout",
      defaultValue = "PT100S",
      description = "Give up after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  // One run's state (a command object runs once).
  private Strategy marks;
  private boolean twoApps;
  private PrintWriter out;
  private PrintWriter err;
  private Emulator slack;
  private Map<String, String> env;
  private String channel;

  /** The person who posts the tasks and approves the canary. */
  private SlackApi alice;

  private List<String> ids;
  private List<String> rollingFleet;
  private final List<Member> fleet = new ArrayList<>();
  private final Map<String, List<String>> runsByTs = new ConcurrentHashMap<>();
  private final List<String> injected = new ArrayList<>();

  /** Claims the ledger of each task counted: 2+ means a retry or a takeover of an expired lease. */
  private final Map<String, Integer> attemptsByTs = new ConcurrentHashMap<>();

  /** One worker of the demo fleet and what it did. */
  private static final class Member {
    final String id;
    final String app;
    final SlackMQWorker worker;
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger handled = new AtomicInteger();
    volatile boolean killed;

    /** With --chaos: this worker's next job hangs, so that the kill finds it mid-job. */
    volatile boolean doomed;

    final AtomicInteger hung = new AtomicInteger();
    volatile long lastFinishNanos = System.nanoTime();

    Member(String id, String app, SlackMQWorker worker) {
      this.id = id;
      this.app = app;
      this.worker = worker;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (workers < 2 || workers > 10) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be 2..10 (Slack allows 10 sockets per app)");
    }
    if (messages < 1 || messages > 500) {
      throw new ParameterException(spec.commandLine(), "--messages must be 1..500");
    }
    marks = WorkerCommand.parseStrategy(spec, strategy);
    twoApps = marks.uses(Strategy.Mark.PIN);
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    Random random = new Random(seed);

    try (Emulator emulator =
        Emulator.builder().seed(seed).timeScale(timeScale).faults(f -> f.seed(seed)).start()) {
      slack = emulator;
      env = slack.env();
      channel = env.get("SLACK_CHANNEL");
      if (chaos) {
        injected.addAll(injectFaults(slack.faults()));
      }
      // The fleet: workers alternate between two apps (each app gets every event, so only the
      // pin keeps them apart); a reaction-only strategy keeps them on one shared bot user.
      ids = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        String app = twoApps && i % 2 == 1 ? "SLACKMQ_B" : "SLACKMQ_A";
        ids.add((app.equals("SLACKMQ_A") ? "a-" : "b-") + (i / (twoApps ? 2 : 1) + 1));
      }
      // With --chaos the last worker is the one killed; it is not part of the rolling fleet.
      rollingFleet = chaos ? ids.subList(0, ids.size() - 1) : ids;
      for (int i = 0; i < workers; i++) {
        String app = twoApps && i % 2 == 1 ? "SLACKMQ_B" : "SLACKMQ_A";
        fleet.add(newMember(ids.get(i), app, random.nextLong()));
      }
      try {
        return runFleet();
      } finally {
        stopAll();
      }
    }
  }

  /** Starts the fleet, posts the tasks, follows progress (and the chaos), then summarises. */
  private int runFleet() throws Exception {
    for (Member m : fleet) {
      m.worker.start();
    }
    alice = Slack.api(slack.apiUrl(), env.get("SLACK_USER_TOKEN_ALICE"), timeScale);
    out.printf(
        Locale.ROOT,
        "SlackMQ demo: %d workers (%s, Socket Mode), strategy %s, Slack rate limits at %sx%n",
        workers,
        twoApps ? "apps slackmq-a and slackmq-b" : "one app, one shared bot user",
        marks,
        trim(timeScale));
    if (chaos) {
      out.println(
          "Chaos: "
              + String.join("; ", injected)
              + "; and worker "
              + ids.get(ids.size() - 1)
              + " will be killed mid-job.");
    }
    out.flush();

    long start = System.nanoTime();
    List<String> tasks = new ArrayList<>();
    String rollingTs = null;
    if (rolling) {
      rollingTs = post(alice, channel, "rolling-update v2");
    }
    for (int i = 1; i <= messages; i++) {
      String text = i % 4 == 1 ? "hostname" : "deploy web-" + i;
      tasks.add(post(alice, channel, text));
    }
    int totalUnits = messages + (rolling ? rollingFleet.size() : 0);
    long deadline = start + timeout.toNanos();
    boolean approved = !rolling;
    boolean victimKilled = !chaos;
    Progress progress = new Progress(err, totalUnits);
    while (true) {
      int handled = fleet.stream().mapToInt(m -> m.handled.get()).sum();
      progress.show(handled, System.nanoTime() - start);
      if (!approved && runsByTs.getOrDefault(rollingTs, List.of()).size() >= 1) {
        // A person looks at the canary, then approves the rest of the rollout.
        String ts = rollingTs;
        alice.call(
            "reactions.add", m -> m.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("+1")));
        approved = true;
        progress.note(
            "canary " + runsByTs.get(ts).get(0) + " updated; alice approved the rollout with :+1:");
      }
      if (!victimKilled && handled >= totalUnits / 3) {
        // The victim's next job hangs (see run); once it has one in hand, or after a while
        // without one, it is killed.
        Member victim = fleet.get(fleet.size() - 1);
        victim.doomed = true;
        // Kill it when every job it has is hung and its last finished job had time to be
        // completed, so the kill hits it mid-job (a job that finished but was not yet marked
        // done would legitimately run twice: see docs/PROTOCOL.md on at-least-once).
        boolean onlyHungJobs =
            victim.running.get() == victim.hung.get()
                && System.nanoTime() - victim.lastFinishNanos > 300_000_000L;
        if (onlyHungJobs && (victim.hung.get() > 0 || handled >= totalUnits * 2 / 3)) {
          int inHand = victim.hung.get();
          victim.killed = true;
          victim.worker.kill();
          victimKilled = true;
          progress.note(
              "killed worker "
                  + victim.id
                  + " with "
                  + inHand
                  + " job(s) in hand (no release: its leases must expire)");
        }
      }
      if (allDone(tasks, rollingTs, handled, totalUnits)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        progress.finish();
        out.println(
            "Gave up after " + timeout + ": " + handled + " of " + totalUnits + " handled.");
        return 1;
      }
      Thread.sleep(200); // the progress bar's refresh rate
    }
    progress.finish();
    long elapsed = System.nanoTime() - start;
    stopAll(); // before the summary: the workers' final counts
    return summary(tasks, rollingTs, elapsed);
  }

  private List<String> injectFaults(Faults faults) {
    faults
        .errorRate("pins.add", Faults.ErrorKind.HTTP_500, 0.05)
        .errorRate("chat.postMessage", Faults.ErrorKind.INTERNAL_ERROR, 0.03)
        .latency("*", Duration.ofMillis(2), Duration.ofMillis(20))
        .duplicateEvents(0.2)
        .disconnectEvery(Duration.ofSeconds(4), Faults.DisconnectReason.REFRESH_REQUESTED)
        .raceWindow(Duration.ofMinutes(5));
    return List.of(
        "5% of pins.add answer HTTP 500",
        "3% of chat.postMessage answer internal_error",
        "2-22 ms latency on every call",
        "20% of events delivered twice",
        "a Socket Mode refresh every 4 s",
        "pins.add/reactions.add not atomic (race window)");
  }

  private Member newMember(String id, String app, long taskSeed) {
    WorkerBuilder b =
        SlackMQWorker.builder()
            .apiUrl(env.get("SLACK_API_URL"))
            .botToken(env.get("SLACK_BOT_TOKEN_" + app))
            .appToken(env.get("SLACK_APP_TOKEN_" + app))
            .channels(env.get("SLACK_CHANNEL"))
            .sources(SlackMQWorker.Source.SOCKET_MODE)
            .workerId(id)
            .strategy(marks)
            .leaseTtl(ttl)
            .timeScale(timeScale)
            .sweepInterval(Duration.ofSeconds(1))
            .sweepGrace(Duration.ofSeconds(2))
            .retryDelay(Duration.ofMillis(500))
            .fleet(rollingFleet.toArray(String[]::new))
            .canary("+1");
    SlackMQWorker worker = b.build();
    Member m = new Member(id, app, worker);
    Random durations = new Random(taskSeed);
    worker.listen(
        "^hostname$", ctx -> run(m, ctx.ts(), () -> ctx.replyInThread("I am running on " + id)));
    worker.listen(
        "^deploy (\\S+)$",
        ctx ->
            run(
                m,
                ctx.ts(),
                () -> {
                  Thread.sleep(100 + durations.nextInt(300)); // the deployment
                  ctx.replyInThread("deployed " + ctx.group(1) + " from " + id);
                }));
    if (rollingFleet.contains(id)) {
      worker.listen(
          "^rolling-update (\\S+)$",
          Delivery.ROLLING,
          ctx ->
              run(
                  m,
                  ctx.ts(),
                  () -> {
                    Thread.sleep(200);
                    ctx.replyInThread(id + " updated to " + ctx.group(1));
                  }));
    }
    return m;
  }

  private interface Job {
    void run() throws Exception;
  }

  private void run(Member m, String ts, Job job) throws Exception {
    m.running.incrementAndGet();
    try {
      if (m.doomed) {
        m.hung.incrementAndGet();
        try {
          Thread.sleep(Long.MAX_VALUE); // a hung job, until the kill interrupts it
        } finally {
          m.hung.decrementAndGet();
        }
      }
      job.run();
      // The work is done (its reply is posted), whatever happens to the worker next.
      runsByTs.computeIfAbsent(ts, k -> Collections.synchronizedList(new ArrayList<>())).add(m.id);
      m.handled.incrementAndGet();
    } finally {
      m.lastFinishNanos = System.nanoTime();
      m.running.decrementAndGet();
    }
  }

  /** True once the handlers are through and Slack shows every task (and the rollout) done. */
  private boolean allDone(List<String> tasks, String rollingTs, int handled, int totalUnits) {
    if (handled < totalUnits) {
      return false;
    }
    try (LockClient reader = reader()) {
      for (String ts : tasks) {
        if (attemptsByTs.containsKey(ts)) {
          continue; // seen done already: done is final
        }
        MessageState state = reader.inspect(channel, ts);
        if (!(state instanceof MessageState.Done)) {
          return false;
        }
        attemptsByTs.put(ts, state.attempts());
      }
      return rollingTs == null || reader.inspect(channel, rollingTs) instanceof MessageState.Done;
    }
  }

  private LockClient reader() {
    return LockClient.builder()
        .apiUrl(env.get("SLACK_API_URL"))
        .token(env.get("SLACK_USER_TOKEN_ALICE"))
        .timeScale(timeScale)
        .build();
  }

  private int summary(List<String> tasks, String rollingTs, long elapsedNanos) {
    int reRuns = 0;
    for (String ts : tasks) {
      reRuns += Math.max(0, runsByTs.getOrDefault(ts, List.of()).size() - 1);
    }
    long lost = 0;
    long rateLimited = 0;
    long duplicates = 0;
    Map<String, Map<String, Long>> callsByApp = new TreeMap<>();
    for (Member m : fleet) {
      WorkerMetrics wm = m.worker.metrics();
      lost += wm.lostRaces();
      rateLimited += wm.rateLimited();
      duplicates += wm.duplicates();
      Map<String, Long> app = callsByApp.computeIfAbsent(m.app, k -> new TreeMap<>());
      wm.apiCalls().forEach((method, n) -> app.merge(method, n, Long::sum));
    }
    int rollingTurns = rollingTs == null ? 0 : runsByTs.getOrDefault(rollingTs, List.of()).size();
    // The verdict comes from Slack, not from the workers' own accounts: every task is done
    // (checked before the summary) and its thread holds exactly one handler's reply; the
    // rollout's thread holds exactly one update per member of the fleet.
    int answeredOnce = 0;
    for (String ts : tasks) {
      if (handlerReplies(ts, "I am running on |deployed ").size() == 1) {
        answeredOnce++;
      }
    }
    boolean rolloutOnce =
        rollingTs == null
            || handlerReplies(rollingTs, "\\S+ updated to ").stream()
                .map(t -> t.substring(0, t.indexOf(' ')))
                .sorted()
                .toList()
                .equals(rollingFleet.stream().sorted().toList());
    boolean exactlyOnce = answeredOnce == tasks.size() && rolloutOnce;
    int processed = tasks.size() + (rollingTs == null ? 0 : 1);
    double emulatedMinutes = elapsedNanos / 1e9 * timeScale / 60.0;
    double perMinute = processed / emulatedMinutes;
    double ceiling = Double.MAX_VALUE;
    String bottleneck = "";
    Map<String, Double> allCalls = new TreeMap<>();
    for (var app : callsByApp.entrySet()) {
      Map<String, Double> perMessage = new TreeMap<>();
      app.getValue().forEach((method, n) -> perMessage.put(method, n / (double) processed));
      app.getValue()
          .forEach((method, n) -> allCalls.merge(method, n / (double) processed, Double::sum));
      double c = Tiers.ceiling(perMessage);
      if (c > 0 && c < ceiling) {
        ceiling = c;
        bottleneck =
            Tiers.bottleneck(perMessage)
                + " of "
                + app.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
      }
    }

    out.println();
    row(
        out,
        "messages",
        processed
            + " ("
            + tasks.size()
            + " tasks + "
            + (rollingTs == null ? "no" : "1")
            + " rolling update)");
    row(
        out,
        "completed exactly once",
        (exactlyOnce ? "yes" : "NO")
            + " ("
            + answeredOnce
            + "/"
            + tasks.size()
            + " tasks done with exactly one answer in their thread"
            + (rollingTs == null
                ? ""
                : "; rollout: "
                    + rollingTurns
                    + "/"
                    + rollingFleet.size()
                    + " workers, one at a time")
            + ")");
    long takenOver = attemptsByTs.values().stream().filter(a -> a > 1).count();
    if (takenOver > 0) {
      row(
          out,
          "second attempts",
          takenOver + " (a lease expired or was released, and another worker took the task over)");
    }
    if (reRuns > 0) {
      row(
          out,
          "handler re-runs",
          reRuns + " (jobs of the killed worker, taken over after its lease expired)");
    }
    StringBuilder share = new StringBuilder("(tasks + rollout turns) ");
    for (Member m : fleet) {
      share
          .append(m.id)
          .append(' ')
          .append(m.handled.get())
          .append(m.killed ? " (killed)" : "")
          .append("  ");
    }
    row(out, "per-worker share", share.toString().trim());
    row(out, "lock races lost", Long.toString(lost));
    row(
        out,
        "repeat deliveries",
        duplicates + " (events and sweeps of messages already seen: dropped before any lock call)");
    StringBuilder calls = new StringBuilder();
    double total = 0;
    for (var e : allCalls.entrySet()) {
      total += e.getValue();
    }
    calls.append(String.format(Locale.ROOT, "%.1f in all:", total));
    allCalls.forEach(
        (method, n) -> calls.append(String.format(Locale.ROOT, " %s %.2f", method, n)));
    row(out, "API calls per message", calls.toString());
    row(out, "429s", Long.toString(rateLimited));
    row(
        out,
        "elapsed",
        String.format(
            Locale.ROOT, "%.1f s real = %.1f emulated min", elapsedNanos / 1e9, emulatedMinutes));
    row(
        out,
        "throughput",
        ceiling == Double.MAX_VALUE
            ? String.format(Locale.ROOT, "%.1f msg/emulated min", perMinute)
            : String.format(
                Locale.ROOT,
                "%.1f msg/emulated min = %.0f%% of the tier ceiling (%.1f/min, set by %s)",
                perMinute,
                100 * perMinute / ceiling,
                ceiling,
                bottleneck));
    if (!injected.isEmpty()) {
      row(out, "faults injected", String.join("; ", injected));
    }
    if (!exactlyOnce) {
      for (Member m : fleet) {
        row(out, "worker " + m.id, m.worker.metrics().toString());
      }
      runsByTs.forEach(
          (ts, runs) -> {
            if (runs.size() != 1 && !ts.equals(rollingTs)) {
              row(out, "runs of " + ts, runs.toString());
            }
          });
    }
    out.println();
    out.println(
        exactlyOnce
            ? "OK: every message was completed exactly once."
            : "FAILED: not every message was completed exactly once (see above).");
    out.flush();
    return exactlyOnce ? 0 : 1;
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "  %-24s %s%n", name, value);
  }

  /** The handlers' replies in a task's thread (as alice reads it), by their text. */
  private List<String> handlerReplies(String ts, String textPattern) {
    Pattern p = Pattern.compile("^(" + textPattern + ")");
    try {
      var r =
          alice.call(
              "conversations.replies",
              m -> m.conversationsReplies(q -> q.channel(channel).ts(ts).limit(200)));
      List<String> out = new ArrayList<>();
      for (var m : r.getMessages()) {
        if (!ts.equals(m.getTs()) && m.getText() != null && p.matcher(m.getText()).find()) {
          out.add(m.getText());
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not read the thread of " + ts + ": " + e.getMessage(), e);
    }
  }

  private static String post(SlackApi alice, String channel, String text) {
    // The person posting tasks retries what a real client retries (--chaos injects transient
    // errors for everyone, not only for the workers): core's call layer does.
    return alice
        .call("chat.postMessage", m -> m.chatPostMessage(q -> q.channel(channel).text(text)))
        .getTs();
  }

  private void stopAll() {
    fleet.parallelStream()
        .filter(m -> !m.killed)
        .forEach(m -> m.worker.stop(Duration.ofSeconds(10))); // idempotent
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** A one-line progress bar on a terminal; a line per quarter otherwise. */
  private static final class Progress {
    private final PrintWriter err;
    private final int total;
    private final boolean terminal = System.console() != null;
    private int lastQuarter = -1;
    private boolean drawn;

    Progress(PrintWriter err, int total) {
      this.err = err;
      this.total = total;
    }

    void show(int done, long elapsedNanos) {
      int shown = Math.min(done, total);
      if (terminal) {
        int width = 30;
        int filled = shown * width / total;
        err.printf(
            Locale.ROOT,
            "\r  [%s%s] %d/%d handled  %.1f s ",
            "#".repeat(filled),
            "-".repeat(width - filled),
            shown,
            total,
            elapsedNanos / 1e9);
        drawn = true;
      } else if (shown * 4 / total > lastQuarter) {
        lastQuarter = shown * 4 / total;
        err.printf(Locale.ROOT, "  %d/%d handled (%.1f s)%n", shown, total, elapsedNanos / 1e9);
      }
      err.flush();
    }

    void note(String text) {
      if (drawn) {
        err.println();
        drawn = false;
      }
      err.println("  " + text);
      err.flush();
    }

    void finish() {
      if (drawn) {
        err.println();
      }
      err.flush();
    }
  }
}
