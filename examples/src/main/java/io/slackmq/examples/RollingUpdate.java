package io.slackmq.examples;

import io.slackmq.junit.LocalSlack;
import io.slackmq.worker.Delivery;
import io.slackmq.worker.SlackMQWorker;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rolling update with a canary, as the seed's users did it from one channel: someone posts {@code
 * rolling-update v2}; one worker of the fleet updates first (the canary); the others wait until a
 * human approves with a :shipit: reaction, then update one at a time, each once.
 *
 * <p>{@code main}: with SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_CHANNEL and SLACKMQ_FLEET set, runs
 * this host's member of the fleet until Ctrl-C; otherwise shows a fleet of three on an embedded
 * local Slack, approving as alice, and exits 0 only if the rollout went right.
 */
public final class RollingUpdate {
  /** The reaction a human adds to the message to roll out past the canary. */
  static final String APPROVAL = "shipit";

  private RollingUpdate() {}

  /** What updating a host means; the examples only pretend. */
  interface Update {
    void apply(String workerId, String version) throws Exception;
  }

  /** One member of the fleet: every member runs this, each with its own id. */
  static SlackMQWorker fleetMember(
      SlackEnv slack, String workerId, List<String> fleet, Update update) {
    SlackMQWorker worker =
        slack
            .worker()
            .workerId(workerId) // this host's name in the fleet list
            .fleet(fleet.toArray(String[]::new)) // a reviewed list: who must update, no guessing
            .canary(APPROVAL) // after the first, wait for a human's :shipit:
            .build();
    // ROLLING: one member at a time holds the message, updates, records its turn, lets go.
    worker.listen(
        "^rolling-update (\\S+)$",
        Delivery.ROLLING,
        ctx -> {
          update.apply(workerId, ctx.group(1));
          ctx.replyInThread(workerId + " now runs " + ctx.group(1));
        });
    return worker.start();
  }

  // ---- running it --------------------------------------------------------------------------

  /** Exit 0 = the rollout went right, 1 = it did not, 2 = bad setup. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.err.println("usage: RollingUpdate   (no arguments; see examples/README.md)");
      System.exit(2);
    }
    SlackEnv workspace = Examples.workspaceOrExit();
    if (workspace != null) {
      String fleet = System.getenv("SLACKMQ_FLEET");
      String id =
          System.getenv()
              .getOrDefault("SLACKMQ_WORKER_ID", InetAddress.getLocalHost().getHostName());
      if (fleet == null || !Arrays.asList(fleet.split(",")).contains(id)) {
        System.err.println(
            "set SLACKMQ_FLEET to the fleet's worker ids (e.g. web1,web2,web3)"
                + " and SLACKMQ_WORKER_ID to this host's one (default: the host name, "
                + id
                + ")");
        System.exit(2);
      }
      Update pretend =
          (worker, version) -> {
            System.out.println(worker + ": updating to " + version + " (pretend: 3 s)");
            TimeUnit.SECONDS.sleep(3); // stands in for your deploy script
          };
      Examples.runUntilCtrlC(
          fleetMember(workspace, id, List.of(fleet.split(",")), pretend),
          id
              + " of fleet "
              + fleet
              + " serving "
              + workspace.channel()
              + ": post `rolling-update v2` there, approve with :"
              + APPROVAL
              + ":. Ctrl-C stops.");
    }
    System.exit(run(System.out).ok() ? 0 : 1);
  }

  /**
   * On an embedded local Slack: three members w1..w3, alice posts {@code rolling-update v2},
   * watches the canary, approves, and waits for the rest. Blocks up to about 40 s.
   */
  public static Result run(PrintStream out) throws Exception {
    List<String> fleet = List.of("w1", "w2", "w3");
    BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
    AtomicLong t0 = new AtomicLong(); // set when alice posts: the timeline counts from there
    Update pretend =
        (worker, version) -> {
          steps.add(new Step(since(t0), worker, Step.Kind.UPDATING, "updating to " + version));
          TimeUnit.MILLISECONDS.sleep(400); // a deploy takes a while: overlapping turns would show
          steps.add(new Step(since(t0), worker, Step.Kind.UPDATED, "runs " + version));
        };
    try (LocalSlack slack = SlackEnv.localSlack()) {
      List<AutoCloseable> workers = new ArrayList<>();
      try {
        for (String id : fleet) {
          // One app, three Socket Mode connections: Slack hands the event to one of them
          // (the canary); the others find the message when they sweep the channel.
          workers.add(fleetMember(SlackEnv.local(slack, "slackmq-a"), id, fleet, pretend));
        }
        out.println(
            "Local Slack: fleet " + fleet + " (app slackmq-a), canary approval :" + APPROVAL + ":");
        List<Step> timeline = new ArrayList<>();
        t0.set(System.nanoTime());
        String ts = slack.post("rolling-update v2");
        out.println("  +0.00s  alice   posts `rolling-update v2`");

        take(steps, timeline, 2, Duration.ofSeconds(20), out); // the canary's turn
        awaitCanaryNotice(slack, ts, Duration.ofSeconds(10));
        out.println("          (the rest wait for a human's :" + APPROVAL + ":)");
        // Nobody may move before the approval: give them a moment to show they don't.
        take(steps, timeline, 1, Duration.ofMillis(1500), out);
        slack.react(ts, APPROVAL);
        timeline.add(
            print(
                new Step(
                    since(t0), "alice", Step.Kind.APPROVED, "approves with :" + APPROVAL + ":"),
                out));
        take(steps, timeline, 4, Duration.ofSeconds(30), out); // the other two, in turn
        boolean done = awaitDoneMark(slack, ts, Duration.ofSeconds(10));
        take(steps, timeline, 1, Duration.ofSeconds(1), out); // a second turn would show now

        Result result = new Result(fleet, timeline, done);
        result.print(out);
        return result;
      } finally {
        Examples.closeAll(workers);
      }
    }
  }

  /** Takes up to {@code n} steps, printing each as it happens, until {@code timeout} passes. */
  private static void take(
      BlockingQueue<Step> steps, List<Step> timeline, int n, Duration timeout, PrintStream out)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < n; i++) {
      Step s = steps.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (s == null) {
        return;
      }
      timeline.add(print(s, out));
    }
  }

  private static Step print(Step s, PrintStream out) {
    out.printf(Locale.ROOT, "  +%.2fs  %-6s  %s%n", s.at().toMillis() / 1000.0, s.who(), s.what());
    return s;
  }

  /** What alice waits for before approving: the canary's note in the thread. */
  private static void awaitCanaryNotice(LocalSlack slack, String ts, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (slack.thread(ts).stream().noneMatch(m -> m.getText().contains("canary: react with"))
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Whether the last member marked the message done (:white_check_mark:) within the timeout. */
  private static boolean awaitDoneMark(LocalSlack slack, String ts, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      var reactions = slack.thread(ts).get(0).getReactions();
      if (reactions != null
          && reactions.stream().anyMatch(r -> r.getName().equals("white_check_mark"))) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    } while (System.nanoTime() < deadline);
    return false;
  }

  private static Duration since(AtomicLong t0) {
    return Duration.ofNanos(System.nanoTime() - t0.get());
  }

  /** One line of the timeline: when, who, what. */
  public record Step(Duration at, String who, Kind kind, String what) {
    /** What happened. */
    public enum Kind {
      UPDATING,
      UPDATED,
      APPROVED
    }
  }

  /** What the embedded run saw, in the order it happened. */
  public record Result(List<String> fleet, List<Step> timeline, boolean markedDone) {

    /** The workers in the order they started updating; the first is the canary. */
    public List<String> order() {
      return timeline.stream().filter(s -> s.kind() == Step.Kind.UPDATING).map(Step::who).toList();
    }

    /** True iff no update started before the previous one finished. */
    public boolean oneAtATime() {
      int running = 0;
      for (Step s : timeline) {
        running += s.kind() == Step.Kind.UPDATING ? 1 : s.kind() == Step.Kind.UPDATED ? -1 : 0;
        if (running > 1) {
          return false;
        }
      }
      return true;
    }

    /** True iff every member of the fleet updated, and once. */
    public boolean eachOnce() {
      List<String> order = order();
      return order.size() == fleet.size() && order.containsAll(fleet);
    }

    /** True iff exactly the canary updated before the approval, and the rest after it. */
    public boolean canaryWaitedForApproval() {
      int approval = -1;
      for (int i = 0; i < timeline.size(); i++) {
        if (timeline.get(i).kind() == Step.Kind.APPROVED) {
          approval = i;
        }
      }
      long before =
          timeline.subList(0, Math.max(approval, 0)).stream()
              .filter(s -> s.kind() == Step.Kind.UPDATING)
              .count();
      return approval >= 0 && before == 1;
    }

    /** All of the above, and the message is marked done. */
    public boolean ok() {
      return oneAtATime() && eachOnce() && canaryWaitedForApproval() && markedDone;
    }

    void print(PrintStream out) {
      out.println(
          "Order: " + order() + (order().isEmpty() ? "" : " (canary " + order().get(0) + ")"));
      out.println(
          "Never two at once: "
              + yes(oneAtATime())
              + "; each once: "
              + yes(eachOnce())
              + "; canary waited for approval: "
              + yes(canaryWaitedForApproval())
              + "; message marked done: "
              + yes(markedDone));
    }

    private static String yes(boolean b) {
      return b ? "yes" : "NO";
    }
  }
}
