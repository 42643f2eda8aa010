package io.slackmq.cli;

import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.SlackApi;
import io.slackmq.emulator.Emulator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code slackmq demo} run: starts the local Slack and the fleet, posts the tasks as alice,
 * follows progress (approving the canary, and with --chaos killing a worker), waits until Slack
 * shows everything done, then prints the report. A run object runs once.
 */
final class DemoRun {
  private final DemoSettings settings;
  private final PrintWriter out;
  private final PrintWriter err;

  private final List<String> injected = new ArrayList<>();

  /** Claims the ledger of each task counted: 2+ means a retry or a takeover of an expired lease. */
  private final Map<String, Integer> attemptsByTs = new ConcurrentHashMap<>();

  private Map<String, String> env;
  private String channel;
  private DemoFleet fleet;

  /** The person who posts the tasks and approves the canary. */
  private SlackApi alice;

  /** {@code --console}, and whether the console stays open at the end. */
  private ConsoleOption console = new ConsoleOption();

  private boolean keepOpen;

  DemoRun(DemoSettings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  /** Also serves the web console if asked ({@code keepOpen}: until Ctrl-C at the end). */
  DemoRun console(ConsoleOption console, boolean keepOpen) {
    this.console = console;
    this.keepOpen = keepOpen;
    return this;
  }

  /** Runs the demo; returns the exit code: 0 only if every message was completed exactly once. */
  int run() throws Exception {
    long seed = settings.seed();
    Random random = new Random(seed);
    try (Emulator slack =
        Emulator.builder()
            .seed(seed)
            .timeScale(settings.timeScale())
            .faults(f -> f.seed(seed))
            .start()) {
      env = slack.env();
      channel = env.get("SLACK_CHANNEL");
      if (settings.chaos()) {
        injected.addAll(DemoChaos.injectFaults(slack.faults()));
      }
      fleet = new DemoFleet(settings, env, random);
      try (Console web = console.start(env, settings.timeScale(), null, out)) {
        int code = runFleet(slack);
        if (web != null && keepOpen) {
          out.println("The console stays open at " + web.url() + ": Ctrl-C to stop.");
          out.flush();
          new java.util.concurrent.CountDownLatch(1).await();
        }
        return code;
      } finally {
        fleet.stopAll();
      }
    }
  }

  /** Starts the fleet, posts the tasks, follows progress (and the chaos), then summarises. */
  private int runFleet(Emulator slack) throws Exception {
    fleet.start();
    alice = Slack.api(slack.apiUrl(), env.get("SLACK_USER_TOKEN_ALICE"), settings.timeScale());
    out.printf(
        Locale.ROOT,
        "SlackMQ demo: %d workers (%s, Socket Mode), strategy %s, Slack rate limits at %sx%n",
        settings.workers(),
        settings.twoApps() ? "apps slackmq-a and slackmq-b" : "one app, one shared bot user",
        settings.marks(),
        trim(settings.timeScale()));
    if (settings.chaos()) {
      out.println(
          "Chaos: "
              + String.join("; ", injected)
              + "; and worker "
              + fleet.victim().id
              + " will be killed mid-job.");
    }
    out.flush();

    long start = System.nanoTime();
    List<String> tasks = new ArrayList<>();
    String rollingTs = null;
    if (settings.rolling()) {
      rollingTs = post("rolling-update v2");
    }
    for (int i = 1; i <= settings.messages(); i++) {
      String text = i % 4 == 1 ? "hostname" : "deploy web-" + i;
      tasks.add(post(text));
    }
    int totalUnits = settings.messages() + (settings.rolling() ? fleet.rollingFleet.size() : 0);
    long deadline = start + settings.timeout().toNanos();
    boolean approved = !settings.rolling();
    DemoChaos chaos = settings.chaos() ? new DemoChaos(fleet.victim()) : null;
    DemoProgress progress = new DemoProgress(err, totalUnits);
    while (true) {
      int handled = fleet.handled();
      progress.show(handled, System.nanoTime() - start);
      if (!approved && fleet.runsOf(rollingTs).size() >= 1) {
        // A person looks at the canary, then approves the rest of the rollout.
        String ts = rollingTs;
        alice.call(
            "reactions.add", m -> m.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("+1")));
        approved = true;
        progress.note(
            "canary " + fleet.runsOf(ts).get(0) + " updated; alice approved the rollout with :+1:");
      }
      if (chaos != null) {
        chaos.step(handled, totalUnits, progress);
      }
      if (allDone(tasks, rollingTs, handled, totalUnits)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        progress.finish();
        out.println(
            "Gave up after "
                + settings.timeout()
                + ": "
                + handled
                + " of "
                + totalUnits
                + " handled.");
        return 1;
      }
      Thread.sleep(200); // the progress bar's refresh rate
    }
    progress.finish();
    long elapsed = System.nanoTime() - start;
    fleet.stopAll(); // before the summary: the workers' final counts
    return new DemoReport(settings, fleet, tasks, rollingTs, attemptsByTs, injected)
        .print(out, new ExactlyOnceAudit(alice, channel), elapsed);
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
        .timeScale(settings.timeScale())
        .build();
  }

  /**
   * Posts a task as alice. She retries what a real client retries (--chaos injects transient errors
   * for everyone, not only for the workers): core's call layer does.
   */
  private String post(String text) {
    return Slack.post(alice, channel, text).getTs();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
