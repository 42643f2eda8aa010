package io.slackmq.cli;

import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.SlackApi;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slackmq send}: posts tasks, and optionally waits until each is done. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Posts a message (or one per line of --file) to the channel, printing its ts.",
      "With --wait, waits until each is done and prints who handled it."
    })
final class SendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @picocli.CommandLine.Mixin Logs.Options logs;
  @Mixin SlackOptions slack;

  @Parameters(
      arity = "0..*",
      paramLabel = "TEXT",
      description = "The message text, e.g. `deploy web-7`.")
  List<String> words = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "Post one message per non-blank line of FILE.")
  Path file;

  @Option(names = "--wait", description = "Wait until every message is done (or dead-lettered).")
  boolean await;

  @Option(
      names = "--timeout",
      defaultValue = "PT2M",
      paramLabel = "DURATION",
      description = "How long --wait waits, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    List<String> texts = new ArrayList<>();
    if (!words.isEmpty()) {
      texts.add(String.join(" ", words));
    }
    if (file != null) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          texts.add(line.strip());
        }
      }
    }
    if (texts.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "nothing to send: give the TEXT or --file FILE");
    }
    String channel = slack.channel();
    PrintWriter out = spec.commandLine().getOut();
    String userToken = slack.userTokenOrNull();
    String token = userToken != null ? userToken : slack.token();
    if (userToken == null) {
      // Workers ignore their own bot's messages (their ledger replies are such messages too), and
      // other bots' unless started with --allow-bots: say so before the user waits in vain.
      spec.commandLine()
          .getErr()
          .println(
              "note: posting as a bot ("
                  + Secrets.mask(token)
                  + "); workers of"
                  + " the same app ignore it, workers of other apps need --allow-bots. To post as a person,"
                  + " set SLACK_USER_TOKEN or --user-token.");
    }
    SlackApi api = Slack.api(slack.apiUrl(), token, 1);
    List<String> posted = new ArrayList<>();
    for (String text : texts) {
      ChatPostMessageResponse r = Slack.post(api, channel, text);
      posted.add(r.getTs());
      out.println("posted " + r.getChannel() + " " + r.getTs() + " " + text);
      out.flush();
    }
    if (!await) {
      return 0;
    }
    try (LockClient locks = LockClient.builder().apiUrl(slack.apiUrl()).token(token).build()) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int failed = 0;
      for (String ts : posted) {
        MessageState state = waitForEnd(locks, channel, ts, deadline);
        if (state instanceof MessageState.Done d) {
          out.println(
              "done "
                  + ts
                  + (d.holder() == null ? "" : " by " + d.holder())
                  + " after "
                  + d.attempts()
                  + " attempt(s)");
        } else if (state instanceof MessageState.DeadLettered d) {
          out.println(
              "dead-lettered " + ts + " after " + d.attempts() + " attempt(s): " + d.reason());
          failed++;
        } else {
          out.println("not done " + ts + " within " + timeout + ": " + state);
          failed++;
        }
        out.flush();
      }
      return failed == 0 ? 0 : 1;
    }
  }

  private static MessageState waitForEnd(LockClient locks, String channel, String ts, long deadline)
      throws InterruptedException {
    long pause = 250;
    while (true) {
      MessageState state = locks.inspect(channel, ts);
      if (state instanceof MessageState.Done
          || state instanceof MessageState.DeadLettered
          || System.nanoTime() > deadline) {
        return state;
      }
      Thread.sleep(
          pause); // polling Slack: a pause between reads keeps within conversations.replies' tier
      pause = Math.min(pause * 2, 5_000);
    }
  }
}
