package io.slackmq.worker;

import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import io.slackmq.core.SlackApi;
import io.slackmq.core.SlackMQException;
import io.slackmq.core.Ts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's own Web API calls (replies, reactions, history, thread reads), through core's {@link
 * SlackApi} (pacing shared with the app's lock clients, retries, backoff, Retry-After): each
 * attempt is counted by method, and a 429 closes the {@link RateGate} for Retry-After so the
 * sources and the sweeper hold back too. Errors are {@link SlackMQException} with Slack's code;
 * never a token.
 */
final class SlackCalls {
  private final SlackApi api;
  private final Map<String, Boolean> botUsers = new ConcurrentHashMap<>();

  /** Calls as {@code api} says (give it the app's pacing), counted and gated. */
  SlackCalls(SlackApi.Builder api, Counters counters, RateGate gate) {
    this.api =
        api.listener(
                new SlackApi.Listener() {
                  @Override
                  public void attempted(String method) {
                    counters.call(method);
                  }

                  @Override
                  public void rateLimited(String method, Duration wait) {
                    counters.rateLimited.increment();
                    gate.pause(wait);
                  }
                })
            .build();
  }

  String post(String channel, String text, String threadTs) {
    return api.call(
            "chat.postMessage",
            m ->
                m.chatPostMessage(
                    r -> {
                      r.channel(channel).text(text);
                      if (threadTs != null) {
                        r.threadTs(threadTs);
                      }
                      return r;
                    }))
        .getTs();
  }

  void react(String channel, String ts, String emoji) {
    try {
      api.call(
          "reactions.add", m -> m.reactionsAdd(r -> r.channel(channel).timestamp(ts).name(emoji)));
    } catch (SlackMQException e) {
      if (!"already_reacted".equals(e.error())) {
        throw e;
      }
    }
  }

  /** The message's permalink (chat.getPermalink). */
  String permalink(String channel, String ts) {
    return api.call(
            "chat.getPermalink", m -> m.chatGetPermalink(q -> q.channel(channel).messageTs(ts)))
        .getPermalink();
  }

  /** Top-level messages with ts &gt; {@code oldest}, oldest first (all pages). */
  List<Message> history(String channel, String oldest) {
    List<Message> out =
        new ArrayList<>(
            api.messages(
                "conversations.history",
                cursor ->
                    m ->
                        m.conversationsHistory(
                            q ->
                                q.channel(channel)
                                    .oldest(oldest)
                                    .inclusive(false)
                                    .limit(200)
                                    .cursor(cursor)),
                ConversationsHistoryResponse::getMessages,
                ConversationsHistoryResponse::getResponseMetadata));
    out.sort((a, b) -> Long.compare(Ts.parse(a.getTs()), Ts.parse(b.getTs())));
    return out;
  }

  /** The thread: the parent first, then replies (all pages). */
  List<Message> thread(String channel, String ts) {
    return api.messages(
        "conversations.replies",
        cursor ->
            m -> m.conversationsReplies(q -> q.channel(channel).ts(ts).limit(200).cursor(cursor)),
        ConversationsRepliesResponse::getMessages,
        ConversationsRepliesResponse::getResponseMetadata);
  }

  /** Whether {@code user} is a bot (cached). */
  boolean isBot(String user) {
    return botUsers.computeIfAbsent(
        user,
        u -> {
          var r = api.call("users.info", m -> m.usersInfo(q -> q.user(u)));
          return r.getUser() != null && (r.getUser().isBot() || "USLACKBOT".equals(u));
        });
  }

  /** auth.test: [user_id, bot_id]. */
  String[] whoAmI() {
    var r = api.call("auth.test", m -> m.authTest(q -> q));
    return new String[] {r.getUserId(), r.getBotId()};
  }

  /** Whether {@code m} is pinned in {@code channel}. */
  static boolean pinnedIn(Message m, String channel) {
    return m.getPinnedTo() != null && m.getPinnedTo().contains(channel);
  }

  /** The names of the reactions on {@code m}. */
  static Set<String> reactions(Message m) {
    Set<String> out = new TreeSet<>();
    if (m.getReactions() != null) {
      for (Reaction r : m.getReactions()) {
        out.add(r.getName());
      }
    }
    return out;
  }
}
