package io.slackmq.cli;

import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.Redrive;
import io.slackmq.core.Ts;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slackmq redrive}: puts dead-lettered messages back in the queue, as SQS's redrive. */
@Command(
    name = "redrive",
    mixinStandardHelpOptions = true,
    description = {
      "Puts dead-lettered messages back in the queue: their attempts start again, the thread",
      "records who redrove them, when and why, and the workers' sweepers take them again.",
      "With TS arguments, those messages; without, every dead letter of the channel since --since.",
      "Example: slackmq redrive --channel C0123 --reason 'disk replaced' 1795840088.690944"
    })
final class RedriveCommand implements Callable<Integer> {
  /** The workers' default catch-up window: older messages are swept only by wider windows. */
  private static final Duration DEFAULT_CATCH_UP = Duration.ofHours(1);

  @Spec CommandSpec spec;
  @Mixin SlackOptions slack;
  @Mixin Logs.Options logs;

  @Parameters(arity = "0..*", paramLabel = "TS", description = "The messages' ts.")
  List<String> messages = new ArrayList<>();

  @Option(
      names = "--since",
      defaultValue = "PT24H",
      paramLabel = "DURATION",
      description = "Without TS: redrive the dead letters this recent (default ${DEFAULT-VALUE}).")
  Duration since;

  @Option(
      names = "--reason",
      defaultValue = "redriven by an operator",
      paramLabel = "TEXT",
      description = "Why, written in each thread (default: ${DEFAULT-VALUE}).")
  String reason;

  @Option(
      names = "--by",
      paramLabel = "WHO",
      description = "Who redrives, written in each thread (default: user@host).")
  String by;

  @Option(
      names = "--read-lag-bound",
      defaultValue = "PT2S",
      description =
          "Wait this long before checking each redrive took (default ${DEFAULT-VALUE}; see"
              + " docs/PROTOCOL.md, A1').")
  Duration readLagBound;

  @Override
  public Integer call() {
    String channel = slack.channel();
    PrintWriter out = spec.commandLine().getOut();
    LockClient.Builder builder =
        LockClient.builder().apiUrl(slack.apiUrl()).token(slack.token()).readLagBound(readLagBound);
    try {
      builder.workerId(by != null ? by : operator());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--by: " + e.getMessage());
    }
    try (LockClient locks = builder.build()) {
      List<String> targets =
          messages.isEmpty() ? deadLetters(channel, locks.deadEmoji()) : messages;
      if (targets.isEmpty()) {
        out.println("no dead letters in " + channel + " since " + since + " ago");
        return 0;
      }
      int failed = 0;
      for (String ts : targets) {
        Redrive r = locks.redrive(channel, ts, reason);
        if (r instanceof Redrive.Redriven d) {
          out.println(
              "redriven "
                  + channel
                  + " "
                  + ts
                  + " (had failed "
                  + d.failedAttempts()
                  + " attempt(s)) by "
                  + locks.workerId()
                  + old(ts));
        } else if (r instanceof Redrive.NotDead n) {
          out.println("not dead " + channel + " " + ts + ": " + describe(n.state()));
        } else {
          Redrive.Failed f = (Redrive.Failed) r;
          out.println("failed " + channel + " " + ts + ": " + f.slackError() + ": " + f.hint());
          failed++;
        }
        out.flush();
      }
      return failed == 0 ? 0 : 1;
    }
  }

  /** The channel's messages with the dead reaction, newer than {@code --since}. */
  private List<String> deadLetters(String channel, String deadEmoji) {
    String oldest = Ts.format(Ts.micros(Instant.now().minus(since)));
    List<Message> history =
        Slack.api(slack)
            .messages(
                "conversations.history",
                cursor ->
                    m ->
                        m.conversationsHistory(
                            q -> q.channel(channel).oldest(oldest).limit(200).cursor(cursor)),
                ConversationsHistoryResponse::getMessages,
                ConversationsHistoryResponse::getResponseMetadata);
    List<String> out = new ArrayList<>();
    for (Message m : history) {
      List<Reaction> reactions = m.getReactions() == null ? List.of() : m.getReactions();
      if (reactions.stream().anyMatch(r -> deadEmoji.equals(r.getName()))) {
        out.add(0, m.getTs()); // history is newest first: redrive the oldest first
      }
    }
    return out;
  }

  /** A warning for a message the workers' default sweep no longer reaches. */
  private static String old(String ts) {
    Instant at = Instant.EPOCH.plus(Ts.parse(ts), ChronoUnit.MICROS);
    return at.isBefore(Instant.now().minus(DEFAULT_CATCH_UP))
        ? "; older than the workers' default catch-up window (1 h): only a worker started with a"
            + " wider --catch-up-window sweeps it"
        : "";
  }

  private static String describe(MessageState s) {
    if (s instanceof MessageState.Done d) {
      return "done" + (d.holder() == null ? "" : " by " + d.holder());
    }
    if (s instanceof MessageState.Held h) {
      return "held by " + h.holder() + " until " + h.expires();
    }
    return s instanceof MessageState.Expired
        ? "its lease expired; a sweeper will retry it"
        : "free";
  }

  /** user@host, in the alphabet of worker ids. */
  static String operator() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "host";
    }
    String who = (System.getProperty("user.name", "operator") + "@" + host);
    who = who.replaceAll("[^A-Za-z0-9._:@/-]", "");
    return who.length() > 64 ? who.substring(0, 64) : who;
  }
}
