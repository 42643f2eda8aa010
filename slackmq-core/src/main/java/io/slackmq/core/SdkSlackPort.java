package io.slackmq.core;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SlackPort} over the official SDK through {@link SlackApi} (pacing, retries, backoff,
 * counting): this class only maps the protocol's steps to Web API methods and their answers. Tokens
 * stay inside the SDK client; no message here includes one.
 */
final class SdkSlackPort implements SlackPort {
  /** Replies per page of a thread read. */
  static final int PAGE = 200;

  private final SlackApi api;

  SdkSlackPort(SlackApi api) {
    this.api = api;
  }

  /** The SDK client this port calls (for tests). */
  MethodsClient methods() {
    return api.methods();
  }

  // STAR needs stars.add/remove, which the SDK deprecates (Slack prefers saved items); the
  // seed used stars, so the strategy stays for compatibility.
  @SuppressWarnings("deprecation")
  @Override
  public Added addMark(String channel, String ts, Strategy.Mark mark, String emoji) {
    String method;
    SlackApi.Answer<? extends SlackApiTextResponse> a;
    switch (mark) {
      case PIN -> {
        method = "pins.add";
        a = api.attempt(method, m -> m.pinsAdd(r -> r.channel(channel).timestamp(ts)));
      }
      case REACTION -> {
        method = "reactions.add";
        a =
            api.attempt(
                method, m -> m.reactionsAdd(r -> r.channel(channel).timestamp(ts).name(emoji)));
      }
      case STAR -> {
        method = "stars.add";
        a = api.attempt(method, m -> m.starsAdd(r -> r.channel(channel).timestamp(ts)));
      }
      default -> throw new AssertionError(mark);
    }
    SlackApiTextResponse r = a.response();
    if (r.isOk()) {
      return Added.ADDED;
    }
    if (Set.of("already_pinned", "already_reacted", "already_starred").contains(r.getError())) {
      return a.ambiguous() ? Added.AMBIGUOUS : Added.ALREADY;
    }
    throw SlackApi.error(method, r);
  }

  // STAR needs stars.add/remove, which the SDK deprecates (Slack prefers saved items); the
  // seed used stars, so the strategy stays for compatibility.
  @SuppressWarnings("deprecation")
  @Override
  public void removeMark(String channel, String ts, Strategy.Mark mark, String emoji) {
    String method;
    SlackApiTextResponse r;
    switch (mark) {
      case PIN -> {
        method = "pins.remove";
        r =
            api.attempt(method, m -> m.pinsRemove(q -> q.channel(channel).timestamp(ts)))
                .response();
      }
      case REACTION -> {
        method = "reactions.remove";
        r =
            api.attempt(
                    method,
                    m -> m.reactionsRemove(q -> q.channel(channel).timestamp(ts).name(emoji)))
                .response();
      }
      case STAR -> {
        method = "stars.remove";
        r =
            api.attempt(method, m -> m.starsRemove(q -> q.channel(channel).timestamp(ts)))
                .response();
      }
      default -> throw new AssertionError(mark);
    }
    if (!r.isOk()
        && !Set.of("no_pin", "not_pinned", "no_reaction", "not_starred").contains(r.getError())) {
      throw SlackApi.error(method, r);
    }
  }

  @Override
  public String postReply(String channel, String threadTs, Ledger.Post post) {
    Message.Metadata metadata =
        Message.Metadata.builder().eventType(post.eventType()).eventPayload(post.payload()).build();
    return api.call(
            "chat.postMessage",
            m ->
                m.chatPostMessage(
                    q ->
                        q.channel(channel)
                            .threadTs(threadTs)
                            .text(post.text())
                            .metadata(metadata)
                            .unfurlLinks(false)
                            .unfurlMedia(false)))
        .getTs();
  }

  @Override
  public void deleteReply(String channel, String ts) {
    var r =
        api.attempt("chat.delete", m -> m.chatDelete(q -> q.channel(channel).ts(ts))).response();
    if (!r.isOk() && !"message_not_found".equals(r.getError())) {
      throw SlackApi.error("chat.delete", r);
    }
  }

  @Override
  public ThreadRead readThread(String channel, String ts) {
    List<Reply> replies = new ArrayList<>();
    Message parent = null;
    for (Message m :
        api.messages(
            "conversations.replies",
            cursor ->
                sdk ->
                    sdk.conversationsReplies(
                        q ->
                            q.channel(channel)
                                .ts(ts)
                                .limit(PAGE)
                                .includeAllMetadata(true)
                                .cursor(cursor)),
            ConversationsRepliesResponse::getMessages,
            ConversationsRepliesResponse::getResponseMetadata)) {
      if (ts.equals(m.getTs())) {
        parent = m;
      } else {
        boolean bot = m.getBotId() != null;
        Message.Metadata md = m.getMetadata();
        String type = md == null ? null : md.getEventType();
        // A user token's entries carry no bot_id: in user-token mode every user's reply with
        // SlackMQ's metadata counts (two users' workers must see each other's claims).
        boolean userEntry =
            !bot
                && m.getUser() != null
                && type != null
                && type.startsWith(Ledger.EVENT_PREFIX)
                && userTokenMode();
        replies.add(
            new Reply(
                m.getTs(),
                bot,
                userEntry,
                m.getText(),
                type,
                md == null || md.getEventPayload() == null ? Map.of() : md.getEventPayload()));
      }
    }
    if (parent == null) {
      throw new SlackMQException(
          "message_not_found",
          "conversations.replies did not return the message " + ts + "; was it deleted?");
    }
    List<String> reactions = new ArrayList<>();
    if (parent.getReactions() != null) {
      for (Reaction reaction : parent.getReactions()) {
        reactions.add(reaction.getName());
      }
    }
    boolean pinned = parent.getPinnedTo() != null && parent.getPinnedTo().contains(channel);
    return new ThreadRead(ts, List.copyOf(reactions), pinned, List.copyOf(replies));
  }

  private volatile Boolean userTokenMode;

  /**
   * Whether this port's token is a user token (auth.test without bot_id; asked once, and only when
   * a tagged reply without bot_id shows up).
   */
  private boolean userTokenMode() {
    Boolean mode = userTokenMode;
    if (mode == null) {
      mode = api.call("auth.test", m -> m.authTest(q -> q)).getBotId() == null;
      userTokenMode = mode;
    }
    return mode;
  }

  @Override
  public ApiCalls calls() {
    return api.calls();
  }
}
