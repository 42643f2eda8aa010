package io.slackmq.examples;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.socket_mode.SocketModeClient;
import io.slackmq.core.SlackMQ;
import io.slackmq.junit.LocalSlack;
import io.slackmq.worker.SlackMQWorker;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The original slackmq README's example in Java: every worker bot sees "hostname" in the channel,
 * exactly one answers "I am running on &lt;host&gt;". Two equivalent flavours:
 *
 * <ul>
 *   <li>{@link #seedStyle}: the seed's code line for line, {@code ack()} then {@code unack()}
 *       inside any listener (here Bolt's);
 *   <li>{@link #idiomatic}: the worker runtime takes the lock; the handler only does the work.
 * </ul>
 *
 * <p>{@code main}: with SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_CHANNEL set, runs one worker on
 * that workspace until Ctrl-C; otherwise shows three workers on an embedded local Slack and exits 0
 * only if each of five "hostname" messages got exactly one answer.
 */
public final class HostnameWorker {
  private static final String REPLY = "I am running on ";

  private HostnameWorker() {}

  /** Which of the two equivalent workers to run. */
  public enum Flavour {
    IDIOMATIC("SlackMQWorker.listen"),
    SEED_STYLE("SlackMQ ack()/unack() in a Bolt listener");

    private final String how;

    Flavour(String how) {
      this.how = how;
    }
  }

  // ---- (a) the seed's way ------------------------------------------------------------------

  /** The seed's worker: any listener sees the message; whoever acks it first answers. */
  static AutoCloseable seedStyle(SlackEnv slack, String host) throws Exception {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(slack.apiUrl()); // matters only for a local Slack
    App app =
        new App(
            AppConfig.builder()
                .slack(Slack.getInstance(config))
                .singleTeamBotToken(slack.botToken())
                .build());

    // Bolt acks the event when this returns; Slack redelivers an event not acked within 3 s
    // (50 ms on the local Slack), and ack() says false to that copy as to every other bot.
    app.message(
        Pattern.compile("^hostname$"),
        (payload, ctx) -> {
          MessageEvent message = payload.getEvent();
          SlackMQ post =
              new SlackMQ(slack.botToken(), message.getChannel(), message.getTs(), slack.apiUrl());
          if (post.ack()) {
            ctx.client()
                .chatPostMessage(
                    r ->
                        r.channel(message.getChannel())
                            .threadTs(message.getTs())
                            .text(REPLY + host));
            post.unack(); // marks it done and removes the pin (no 3 s sleep, unlike the seed)
          }
          return ctx.ack();
        });

    SocketModeApp socketMode =
        new SocketModeApp(slack.appToken(), app, SocketModeClient.Backend.Tyrus);
    socketMode.startAsync();
    return socketMode::close;
  }

  // ---- (b) the idiomatic way ---------------------------------------------------------------

  /** The same worker on the runtime: it acks, retries, marks done; a throw releases the lock. */
  static SlackMQWorker idiomatic(SlackEnv slack, String host) {
    SlackMQWorker worker = slack.worker().build();
    worker.listen("^hostname$", ctx -> ctx.replyInThread(REPLY + host));
    return worker.start();
  }

  // ---- running it --------------------------------------------------------------------------

  /** {@code HostnameWorker [--seed-style]}; exit 0 = exactly once, 1 = not, 2 = bad setup. */
  public static void main(String[] args) throws Exception {
    Flavour flavour = Flavour.IDIOMATIC;
    for (String arg : args) {
      if (arg.equals("--seed-style")) {
        flavour = Flavour.SEED_STYLE;
      } else {
        System.err.println("usage: HostnameWorker [--seed-style]\nunknown argument: " + arg);
        System.exit(2);
      }
    }
    SlackEnv workspace = Examples.workspaceOrExit();
    if (workspace != null) {
      String host = InetAddress.getLocalHost().getHostName();
      Examples.runUntilCtrlC(
          start(flavour, workspace, host),
          "Worker on "
              + host
              + " ("
              + flavour.how
              + ") serving "
              + workspace.channel()
              + ": post `hostname` there. Ctrl-C stops it.");
    }
    System.exit(run(flavour, System.out).exactlyOnce() ? 0 : 1);
  }

  private static AutoCloseable start(Flavour flavour, SlackEnv slack, String host)
      throws Exception {
    return flavour == Flavour.SEED_STYLE ? seedStyle(slack, host) : idiomatic(slack, host);
  }

  /**
   * On an embedded local Slack: starts three workers, has alice post {@code hostname} five times,
   * and reads each message's thread as she would. Blocks up to about 30 s.
   */
  public static Result run(Flavour flavour, PrintStream out) throws Exception {
    try (LocalSlack slack = SlackEnv.localSlack()) {
      List<AutoCloseable> workers = new ArrayList<>();
      try {
        // host-1 and host-2 share app slackmq-a: Slack gives each event to one of them.
        // host-3 is app slackmq-b and sees every message too: each one is raced for.
        for (int i = 1; i <= 3; i++) {
          workers.add(
              start(
                  flavour, SlackEnv.local(slack, i < 3 ? "slackmq-a" : "slackmq-b"), "host-" + i));
        }
        out.println(
            "Local Slack: 3 workers ("
                + flavour.how
                + "): host-1, host-2 (app"
                + " slackmq-a), host-3 (app slackmq-b)");
        long start = System.nanoTime();
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          posted.add(slack.post("hostname"));
        }
        out.println("alice posted `hostname` 5 times in #ops");
        awaitAnswers(slack, posted, Duration.ofSeconds(30));
        // Watch a little longer: a second answer (a lost lock, a redelivery) would show now.
        TimeUnit.SECONDS.sleep(2);
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < posted.size(); i++) {
          answers.add(new Answer(i + 1, posted.get(i), slack.replies(posted.get(i), REPLY)));
        }
        Result result = new Result(flavour, answers, Duration.ofNanos(System.nanoTime() - start));
        result.print(out);
        return result;
      } finally {
        Examples.closeAll(workers);
      }
    }
  }

  private static void awaitAnswers(LocalSlack slack, List<String> posted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String ts : posted) {
      // Polling the thread is what a person watching the channel does; 0.2 s is plenty here.
      while (slack.replies(ts, REPLY).isEmpty() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  /** One posted {@code hostname} and the answers in its thread (exactly one is right). */
  public record Answer(int n, String ts, List<String> replies) {}

  /** What the embedded run saw. */
  public record Result(Flavour flavour, List<Answer> answers, Duration elapsed) {
    /** True iff every message was answered, and by one worker only. */
    public boolean exactlyOnce() {
      return !answers.isEmpty() && answers.stream().allMatch(a -> a.replies().size() == 1);
    }

    /** How many answers each host gave. */
    public Map<String, Integer> perHost() {
      Map<String, Integer> counts = new TreeMap<>();
      answers.forEach(
          a ->
              a.replies().forEach(r -> counts.merge(r.substring(REPLY.length()), 1, Integer::sum)));
      return counts;
    }

    void print(PrintStream out) {
      for (Answer a : answers) {
        out.printf(
            "  hostname #%d  ->  %s%n",
            a.n(), a.replies().isEmpty() ? "(no answer)" : String.join("  AND  ", a.replies()));
      }
      out.println("Answers per worker: " + perHost());
      long once = answers.stream().filter(a -> a.replies().size() == 1).count();
      out.printf(
          "Answered exactly once: %s (%d of %d) in %.1f s%n",
          exactlyOnce() ? "yes" : "NO", once, answers.size(), elapsed.toMillis() / 1000.0);
    }
  }
}
