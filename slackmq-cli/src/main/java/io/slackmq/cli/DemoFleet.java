package io.slackmq.cli;

import io.slackmq.worker.Delivery;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's workers over Socket Mode: who they are (two apps, or one shared bot user), their
 * handlers (hostname, deploy web-N, the rolling update), and which of them ran each task.
 */
final class DemoFleet {
  final List<DemoMember> members = new ArrayList<>();

  /** The members that take part in the rolling update (with --chaos, all but the victim). */
  final List<String> rollingFleet;

  /** Who ran each task's handler through to its reply, by the task's ts. */
  final Map<String, List<String>> runsByTs = new ConcurrentHashMap<>();

  private final DemoSettings settings;
  private final Map<String, String> env;

  /** Builds (does not start) the fleet; {@code random} seeds each member's task durations. */
  DemoFleet(DemoSettings settings, Map<String, String> env, Random random) {
    this.settings = settings;
    this.env = env;
    boolean twoApps = settings.twoApps();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < settings.workers(); i++) {
      ids.add((app(i).equals("SLACKMQ_A") ? "a-" : "b-") + (i / (twoApps ? 2 : 1) + 1));
    }
    // With --chaos the last worker is the one killed; it is not part of the rolling fleet.
    rollingFleet = settings.chaos() ? ids.subList(0, ids.size() - 1) : ids;
    for (int i = 0; i < settings.workers(); i++) {
      members.add(newMember(ids.get(i), app(i), random.nextLong()));
    }
  }

  /** The workers alternate between two apps, or all share app A. */
  private String app(int i) {
    return settings.twoApps() && i % 2 == 1 ? "SLACKMQ_B" : "SLACKMQ_A";
  }

  /** The bot users of the fleet's apps: with two, each task has a home app (affinity). */
  private String[] apps() {
    return settings.twoApps()
        ? new String[] {env.get("SLACK_BOT_USER_SLACKMQ_A"), env.get("SLACK_BOT_USER_SLACKMQ_B")}
        : new String[] {env.get("SLACK_BOT_USER_SLACKMQ_A")};
  }

  /** The member --chaos kills: the last one. */
  DemoMember victim() {
    return members.get(members.size() - 1);
  }

  void start() throws Exception {
    for (DemoMember m : members) {
      m.worker.start();
    }
  }

  /** Jobs handled so far (tasks and rollout turns), by all members. */
  int handled() {
    return members.stream().mapToInt(m -> m.handled.get()).sum();
  }

  /** Who ran the task at {@code ts} so far. */
  List<String> runsOf(String ts) {
    return runsByTs.getOrDefault(ts, List.of());
  }

  /** Stops the members still alive; idempotent. */
  void stopAll() {
    members.parallelStream()
        .filter(m -> !m.killed)
        .forEach(m -> m.worker.stop(Duration.ofSeconds(10))); // idempotent
  }

  private DemoMember newMember(String id, String app, long taskSeed) {
    WorkerBuilder b =
        SlackMQWorker.builder()
            .apiUrl(env.get("SLACK_API_URL"))
            .botToken(env.get("SLACK_BOT_TOKEN_" + app))
            .appToken(env.get("SLACK_APP_TOKEN_" + app))
            .channels(env.get("SLACK_CHANNEL"))
            .sources(SlackMQWorker.Source.SOCKET_MODE)
            .workerId(id)
            .strategy(settings.marks())
            .leaseTtl(settings.ttl())
            .timeScale(settings.timeScale())
            .sweepInterval(Duration.ofSeconds(1))
            .sweepGrace(Duration.ofSeconds(2))
            .retryDelay(Duration.ofMillis(500))
            .fleet(rollingFleet.toArray(String[]::new))
            .apps(apps())
            .canary("+1");
    SlackMQWorker worker = b.build();
    DemoMember m = new DemoMember(id, app, worker);
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

  private void run(DemoMember m, String ts, DemoMember.Job job) throws Exception {
    m.run(
        job,
        () ->
            runsByTs
                .computeIfAbsent(ts, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(m.id));
  }
}
