package io.slackmq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.model.Message;
import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slackmq status}: what the queue in a channel looks like right now. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "For the newest messages of a channel: how many are done, in flight (held by a live lease),",
      "stale (lease expired: a sweeper will take them over), dead-lettered, or not yet claimed;",
      "then one line per message that is not done."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @picocli.CommandLine.Mixin Logs.Options logs;
  @Mixin SlackOptions slack;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "How many recent messages to read (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--limit must be 1..1000");
    }
    String channel = slack.channel();
    PrintWriter out = spec.commandLine().getOut();
    ConversationsHistoryResponse history =
        Slack.api(slack)
            .call(
                "conversations.history",
                m -> m.conversationsHistory(q -> q.channel(channel).limit(limit)));
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String k : new String[] {"done", "in flight", "stale", "dead-lettered", "not claimed"}) {
      counts.put(k, 0);
    }
    StringBuilder lines = new StringBuilder();
    Map<String, Integer> workersSeen = new TreeMap<>();
    Instant now = Instant.now();
    try (LockClient locks =
        LockClient.builder().apiUrl(slack.apiUrl()).token(slack.token()).build()) {
      for (Message m : history.getMessages()) {
        if (m.getSubtype() != null && !"bot_message".equals(m.getSubtype())) {
          continue; // joins, pins and other system messages are not tasks
        }
        MessageState state = locks.inspect(channel, m.getTs());
        String text = m.getText() == null ? "" : m.getText().replace('\n', ' ');
        if (text.length() > 40) {
          text = text.substring(0, 39) + "…";
        }
        String holder = holder(state);
        if (holder != null) {
          workersSeen.merge(holder, 1, Integer::sum);
        }
        if (state instanceof MessageState.Done) {
          counts.merge("done", 1, Integer::sum);
        } else if (state instanceof MessageState.Held h) {
          counts.merge("in flight", 1, Integer::sum);
          lines.append(
              String.format(
                  "  %s  in flight   %-24s held by %s, expires in %s%n",
                  m.getTs(), text, h.holder(), seconds(Duration.between(now, h.expires()))));
        } else if (state instanceof MessageState.Expired e) {
          counts.merge("stale", 1, Integer::sum);
          lines.append(
              String.format(
                  "  %s  stale       %-24s lease of %s expired %s ago%n",
                  m.getTs(), text, e.holder(), seconds(Duration.between(e.expiredAt(), now))));
        } else if (state instanceof MessageState.DeadLettered d) {
          counts.merge("dead-lettered", 1, Integer::sum);
          lines.append(
              String.format(
                  "  %s  dead        %-24s after %d attempts: %s%n",
                  m.getTs(), text, d.attempts(), d.reason()));
        } else {
          counts.merge("not claimed", 1, Integer::sum);
          lines.append(
              String.format(
                  "  %s  not claimed %-24s (%d earlier attempts)%n",
                  m.getTs(), text, state.attempts()));
        }
      }
    }
    out.println("Channel " + channel + ", newest " + history.getMessages().size() + " messages:");
    counts.forEach((k, v) -> out.printf("  %-14s %d%n", k, v));
    if (!workersSeen.isEmpty()) {
      StringBuilder seen = new StringBuilder();
      workersSeen.forEach((w, n) -> seen.append(' ').append(w).append(" (").append(n).append(')'));
      out.println(
          "  workers seen   " + seen.toString().trim() + "   (last holders, from the threads)");
    }
    String sockets = emulatorGet("socket-mode", "connections", v -> Integer.toString(v.asInt()));
    if (sockets != null) {
      out.println(
          "  connected      "
              + sockets
              + "   (Socket Mode connections per app, from the local Slack)");
    }
    String calls = emulatorGet("stats", "stats", StatusCommand::callTotals);
    if (calls != null) {
      out.println("  API calls      " + calls + "   (per app or user, from the local Slack)");
    }
    if (lines.length() > 0) {
      out.println();
      out.print(lines);
    }
    out.flush();
    return 0;
  }

  /** Who holds, held or completed a message; null when nobody. */
  static String holder(MessageState state) {
    if (state instanceof MessageState.Done d) {
      return d.holder();
    } else if (state instanceof MessageState.Held h) {
      return h.holder();
    } else if (state instanceof MessageState.Expired e) {
      return e.holder();
    }
    return null;
  }

  /** "calls N, 429s M" of one caller in the emulator's stats ({method: {calls, ratelimited}}). */
  private static String callTotals(JsonNode byMethod) {
    long calls = 0;
    long limited = 0;
    for (var it = byMethod.elements(); it.hasNext(); ) {
      var m = it.next();
      calls += m.path("calls").asLong();
      limited += m.path("ratelimited").asLong();
    }
    return calls + " calls, " + limited + " 429s";
  }

  /**
   * A per-app figure from the local Slack's admin API ({@code /_emulator/<path>}), as "key value
   * key value"; null when the API URL is not the local Slack (real Slack has no such API) or it
   * does not answer.
   */
  private String emulatorGet(String path, String field, Function<JsonNode, String> value) {
    String api = slack.apiUrl();
    if (!api.endsWith("/api/") || api.startsWith(SlackOptions.SLACK_API)) {
      return null;
    }
    try {
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              api.substring(0, api.length() - "api/".length())
                                  + "_emulator/"
                                  + path))
                      .timeout(Duration.ofSeconds(2))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      var root = new ObjectMapper().readTree(r.body());
      var node = field == null ? root : root.path(field);
      StringBuilder sb = new StringBuilder();
      node.properties()
          .forEach(
              e ->
                  sb.append(e.getKey()).append(' ').append(value.apply(e.getValue())).append("  "));
      return sb.length() == 0 ? "none" : sb.toString().trim();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String seconds(Duration d) {
    return Math.max(0, d.toMillis() / 1000) + "s";
  }
}
