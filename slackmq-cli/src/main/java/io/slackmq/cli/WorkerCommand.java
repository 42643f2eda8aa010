package io.slackmq.cli;

import io.slackmq.core.Strategy;
import io.slackmq.worker.Delivery;
import io.slackmq.worker.Listener;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slackmq worker}: one worker of a fleet, with listeners given on the command line. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker until Ctrl-C / SIGTERM (then it finishes or releases what it holds).",
      "Listeners: --reply REGEX TEMPLATE answers in the message's thread; --exec REGEX COMMAND",
      "runs a program (split on spaces, never through a shell; {1}, {2}... are the regex groups,",
      "each passed as ONE argument) and posts its output in the thread.",
      "Placeholders in templates: {1}.. groups, {worker}, {user}, {text}.",
      "Example: slackmq worker --reply '^hostname$' 'I am running on {worker}'"
    })
final class WorkerCommand implements Callable<Integer> {
  enum Source {
    socket,
    events,
    poll
  }

  enum Mode {
    one,
    all,
    rolling
  }

  @Spec CommandSpec spec;
  @Mixin SlackOptions slack;
  @Mixin Logs.Options logs;

  @Option(
      names = "--print-config",
      description =
          "Print the effective configuration (every option, where its value came from: flag, env,"
              + " file or default; secrets masked) and exit.")
  boolean printConfig;

  @Option(
      names = "--reply",
      arity = "2",
      paramLabel = "REGEX TEMPLATE",
      description = "Reply in thread with TEMPLATE to messages matching REGEX (repeatable).")
  List<String> replies = new ArrayList<>();

  @Option(
      names = "--exec",
      arity = "2",
      paramLabel = "REGEX COMMAND",
      description = "Run COMMAND for messages matching REGEX; needs --allow-user (repeatable).")
  List<String> execs = new ArrayList<>();

  @Option(
      names = "--allow-user",
      paramLabel = "USER_ID",
      description =
          "Only these users may trigger the listeners (repeatable; default: anyone, except for --exec).")
  List<String> allowUsers = new ArrayList<>();

  @Option(names = "--allow-bots", description = "Also act on messages posted by other bots.")
  boolean allowBots;

  @Option(
      names = "--delivery",
      defaultValue = "one",
      paramLabel = "MODE",
      description =
          "one (exactly one worker of the fleet, default), all (every worker), rolling (every worker, one at a time).")
  Mode delivery;

  @Option(
      names = "--fleet",
      split = ",",
      paramLabel = "ID",
      description = "Worker ids of the fleet, for --delivery rolling.")
  List<String> fleet = new ArrayList<>();

  @Option(
      names = "--apps",
      split = ",",
      paramLabel = "USER_ID",
      description =
          "Bot user ids of every app in the fleet: each message gets a home app that acts at once; the others step in after --affinity-grace.")
  List<String> apps = new ArrayList<>();

  @Option(
      names = "--affinity-grace",
      defaultValue = "PT5S",
      description =
          "How long other apps leave a message to its home app (default ${DEFAULT-VALUE}).")
  Duration affinityGrace;

  @Option(
      names = "--canary",
      paramLabel = "EMOJI",
      description =
          "Rolling: after the first worker, wait for a human's EMOJI reaction to proceed.")
  String canary;

  @Option(
      names = "--source",
      paramLabel = "SOURCE",
      description =
          "socket (needs --app-token), events (needs --signing-secret), poll. Default: socket if an app token is set, else events if a signing secret is, else poll.")
  Source source;

  @Option(names = "--events-host", defaultValue = "127.0.0.1", description = "Receiver address.")
  String eventsHost; // loopback by default: 0.0.0.0 to be reached from elsewhere

  @Option(names = "--events-port", defaultValue = "3000", description = "Receiver port.")
  int eventsPort;

  @Option(names = "--events-path", defaultValue = "/slack/events", description = "Receiver path.")
  String eventsPath;

  @Option(
      names = "--strategy",
      paramLabel = "MARKS",
      description =
          "Lock marks: pin (exclusive across apps; the default), reaction (one shared bot user; cheaper tier; the default when --apps names one app), star (user tokens), or a combination like pin+reaction.")
  String strategy;

  @Option(
      names = "--ttl",
      defaultValue = "PT60S",
      description =
          "Lease time-to-live, renewed while the handler runs (default ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--read-lag-bound",
      defaultValue = "PT2S",
      description =
          "How long Slack's reads may lag behind writes; each claim waits it out before the read"
              + " that decides it (default ${DEFAULT-VALUE}; see docs/PROTOCOL.md, A1').")
  Duration readLagBound;

  @Option(
      names = "--max-attempts",
      defaultValue = "3",
      description = "Failed attempts before a message is dead-lettered (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--dead-letter-channel",
      paramLabel = "CHANNEL_ID",
      description =
          "Announce each dead letter once in this channel: a link, the reason, the redrive command.")
  String deadLetterChannel;

  @Option(
      names = "--catch-up-window",
      defaultValue = "PT1H",
      paramLabel = "DURATION",
      description =
          "How far back the sweeper looks for missed, expired and redriven messages (default"
              + " ${DEFAULT-VALUE}).")
  Duration catchUpWindow;

  @Option(
      names = "--sweep-interval",
      defaultValue = "PT60S",
      paramLabel = "DURATION",
      description = "How often the sweeper reads the catch-up window (default ${DEFAULT-VALUE}).")
  Duration sweepInterval;

  @Option(
      names = "--stop-deadline",
      defaultValue = "PT30S",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, how long running handlers may finish before they are interrupted and their"
              + " messages handed back (default ${DEFAULT-VALUE}; give systemd or Kubernetes more).")
  Duration stopDeadline;

  @Option(names = "--worker-id", description = "This worker's id (default: host/pid/random).")
  String workerId;

  @Option(names = "--threads", defaultValue = "4", description = "Handler threads (default 4).")
  int threads;

  @Option(
      names = "--exec-timeout",
      defaultValue = "PT5M",
      description = "Kill an --exec program after this long (default ${DEFAULT-VALUE}).")
  Duration execTimeout;

  @Option(
      names = "--metrics-every",
      defaultValue = "PT60S",
      paramLabel = "DURATION",
      description =
          "Print the worker's counters this often, and at exit (default ${DEFAULT-VALUE}; PT0S: only at exit).")
  Duration metricsEvery;

  @Option(
      names = "--http-port",
      defaultValue = "-1",
      paramLabel = "PORT",
      description =
          "Serve /metrics (Prometheus), /healthz and /readyz on this port (0: any free port; default: off).")
  int httpPort;

  @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "--http-port's address.")
  String httpHost;

  private Monitor monitor;

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      description =
          "Pace calls for a local Slack running N times faster (env SLACK_TIME_SCALE, which slackmq emulator writes; default 1, real Slack).")
  Double timeScale;

  @Override
  public Integer call() throws Exception {
    if (printConfig) {
      Config.print(spec, slack.origins, spec.commandLine().getOut());
      return 0;
    }
    if (replies.isEmpty() && execs.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "no listeners: give at least one --reply or --exec");
    }
    if (!execs.isEmpty() && allowUsers.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--exec runs programs on this host: name who may trigger them with --allow-user USER_ID");
    }
    if (delivery == Mode.rolling && fleet.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--delivery rolling needs --fleet id1,id2,...");
    }
    SlackMQWorker worker;
    Source chosen = chosenSource();
    monitor = httpPort >= 0 ? new Monitor() : null;
    try {
      worker = build(chosen);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // A value the worker refuses (--threads -1, --ttl PT-5S, a non-RE2 pattern): exit 2.
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.stop(stopDeadline); // /readyz says 503 from its first step
                  if (monitor != null) {
                    monitor.close();
                  }
                  spec.commandLine()
                      .getOut()
                      .println("metrics " + worker.workerId() + " at exit: " + worker.metrics());
                  spec.commandLine().getOut().flush();
                  stopped.countDown();
                },
                "slackmq-worker-shutdown"));
    var out = spec.commandLine().getOut();
    if (monitor != null) {
      monitor.start(httpHost, httpPort, worker::health);
      out.println("Health and metrics: http://" + httpHost + ":" + monitor.port() + "/readyz");
    }
    try {
      worker.start();
    } catch (RuntimeException e) {
      if (monitor != null) {
        monitor.close(); // its threads would keep the process alive
      }
      throw e;
    }
    if (!metricsEvery.isZero() && !metricsEvery.isNegative()) {
      ScheduledExecutorService timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "slackmq-metrics");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleAtFixedRate(
          () -> {
            out.println("metrics " + worker.workerId() + ": " + worker.metrics());
            out.flush();
          },
          metricsEvery.toMillis(),
          metricsEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    out.println(
        "Worker "
            + worker.workerId()
            + " running ("
            + chosen
            + ", "
            + (replies.size() + execs.size()) / 2
            + " listener(s), token "
            + Secrets.mask(slack.token())
            + "). Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }

  private Source chosenSource() {
    return source != null
        ? source
        : slack.appTokenOrNull() != null
            ? Source.socket
            : slack.signingSecretOrNull() != null ? Source.events : Source.poll;
  }

  /** The worker with its listeners, not started. */
  private SlackMQWorker build(Source chosen) {
    WorkerBuilder b =
        SlackMQWorker.builder()
            .apiUrl(slack.apiUrl())
            .botToken(slack.token())
            .channels(slack.channel().split(","))
            .leaseTtl(ttl)
            .readLagBound(readLagBound)
            .maxAttempts(maxAttempts)
            .handlerThreads(threads)
            .catchUpWindow(catchUpWindow)
            .sweepInterval(sweepInterval)
            .timeScale(timeScale == null ? 1.0 : timeScale);
    if (monitor != null) {
      b.meterRegistry(monitor.registry);
    }
    if (deadLetterChannel != null) {
      b.deadLetterChannel(deadLetterChannel);
    }
    switch (chosen) {
      case socket -> b.appToken(slack.appToken()).sources(SlackMQWorker.Source.SOCKET_MODE);
      case events -> {
        String secret = slack.signingSecretOrNull();
        if (secret == null) {
          throw new ParameterException(
              spec.commandLine(),
              "--source events needs --signing-secret (or SLACK_SIGNING_SECRET)");
        }
        b.signingSecret(secret)
            .eventsApi(eventsHost, eventsPort, eventsPath)
            .sources(SlackMQWorker.Source.EVENTS_API);
      }
      case poll -> b.sources(SlackMQWorker.Source.POLLING);
    }
    if (workerId != null) {
      b.workerId(workerId);
    }
    if (!fleet.isEmpty()) {
      b.fleet(fleet.toArray(String[]::new));
    }
    if (strategy != null) {
      b.strategy(parseStrategy(spec, strategy));
    }
    if (!apps.isEmpty()) {
      b.apps(apps.toArray(String[]::new)).affinityGrace(affinityGrace);
    }
    if (canary != null) {
      b.canary(canary);
    }
    SlackMQWorker worker = b.build();
    Delivery mode = Delivery.valueOf(delivery.name().toUpperCase(Locale.ROOT));
    for (int i = 0; i < replies.size(); i += 2) {
      String template = replies.get(i + 1);
      configure(
          worker.listen(
              replies.get(i), mode, ctx -> ctx.replyInThread(Listeners.fill(template, ctx))));
    }
    for (int i = 0; i < execs.size(); i += 2) {
      List<String> command = List.of(execs.get(i + 1).trim().split("\\s+"));
      configure(worker.listen(execs.get(i), mode, ctx -> Listeners.run(command, execTimeout, ctx)));
    }
    return worker;
  }

  private void configure(Listener listener) {
    listener.allowBots(allowBots);
    if (!allowUsers.isEmpty()) {
      listener.fromUsers(allowUsers.toArray(String[]::new));
    }
  }

  static Strategy parseStrategy(CommandSpec spec, String value) {
    List<Strategy.Mark> marks = new ArrayList<>();
    for (String part : value.split("\\+")) {
      try {
        marks.add(Strategy.Mark.valueOf(part.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "unknown strategy '"
                + part
                + "': use pin, reaction, star or a combination like pin+reaction");
      }
    }
    return Strategy.of(marks.get(0), marks.subList(1, marks.size()).toArray(Strategy.Mark[]::new));
  }
}
