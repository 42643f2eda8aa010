package io.slackmq.cli;

import io.slackmq.core.SlackApi;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The demo's verdict, from Slack rather than from the workers' own accounts: every task is done
 * (checked before the audit) and its thread holds exactly one handler's reply; the rollout's thread
 * holds exactly one update per member of the rolling fleet.
 */
final class ExactlyOnceAudit {
  /**
   * @param answeredOnce tasks whose thread holds exactly one handler's reply
   * @param tasks tasks posted
   * @param rolloutOnce the rollout (if any) updated each member of the rolling fleet exactly once
   */
  record Verdict(int answeredOnce, int tasks, boolean rolloutOnce) {
    boolean exactlyOnce() {
      return answeredOnce == tasks && rolloutOnce;
    }
  }

  private final SlackApi alice;
  private final String channel;

  /** Reads the threads as {@code alice} (the person who posted the tasks). */
  ExactlyOnceAudit(SlackApi alice, String channel) {
    this.alice = alice;
    this.channel = channel;
  }

  /** {@code rollingTs}: the rolling update's ts, or null without one. */
  Verdict check(List<String> tasks, String rollingTs, List<String> rollingFleet) {
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
    return new Verdict(answeredOnce, tasks.size(), rolloutOnce);
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
}
