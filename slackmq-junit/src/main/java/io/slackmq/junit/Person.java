package io.slackmq.junit;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.model.ResponseMetadata;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What a person does in a local Slack through the official SDK: post, react, read. Every call that
 * Slack refuses throws {@link IllegalStateException} with Slack's error code, so a test fails where
 * its setup went wrong.
 */
final class Person {
  private final String name;
  private final MethodsClient client;

  Person(String name, MethodsClient client) {
    this.name = name;
    this.client = client;
  }

  String post(String channel, String text) {
    return call(
            "chat.postMessage", () -> client.chatPostMessage(r -> r.channel(channel).text(text)))
        .getTs();
  }

  String reply(String channel, String ts, String text) {
    return call(
            "chat.postMessage",
            () -> client.chatPostMessage(r -> r.channel(channel).threadTs(ts).text(text)))
        .getTs();
  }

  void react(String channel, String ts, String emoji) {
    call(
        "reactions.add",
        () -> client.reactionsAdd(r -> r.channel(channel).timestamp(ts).name(emoji)));
  }

  /** A thread as this person sees it: the message, then its replies, oldest first. */
  List<Message> thread(String channel, String ts) {
    List<Message> out = new ArrayList<>();
    for (List<Message> page :
        pages(
            "conversations.replies",
            c -> client.conversationsReplies(q -> q.channel(channel).ts(ts).limit(200).cursor(c)),
            ConversationsRepliesResponse::getMessages,
            ConversationsRepliesResponse::getResponseMetadata)) {
      // Every page starts with the parent: keep it once.
      out.addAll(out.isEmpty() ? page : page.subList(1, page.size()));
    }
    return out;
  }

  /** A channel's top-level messages, oldest first. */
  List<Message> history(String channel) {
    List<Message> out = new ArrayList<>();
    pages(
            "conversations.history",
            c -> client.conversationsHistory(q -> q.channel(channel).limit(200).cursor(c)),
            ConversationsHistoryResponse::getMessages,
            ConversationsHistoryResponse::getResponseMetadata)
        .forEach(out::addAll);
    out.sort(Comparator.comparing(m -> new BigDecimal(m.getTs())));
    return out;
  }

  /** One page of a paged read, from its cursor. */
  private interface PagedRead<T extends SlackApiTextResponse> {
    T read(String cursor) throws IOException, SlackApiException;
  }

  /** Every page of a read (cursor pagination: until the next cursor is empty). */
  private <T extends SlackApiTextResponse> List<List<Message>> pages(
      String method,
      PagedRead<T> read,
      Function<T, List<Message>> messages,
      Function<T, ResponseMetadata> meta) {
    List<List<Message>> out = new ArrayList<>();
    String cursor = null;
    do {
      String c = cursor;
      T r = call(method, () -> read.read(c));
      out.add(messages.apply(r));
      cursor = meta.apply(r) == null ? null : meta.apply(r).getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return out;
  }

  private interface Call<T extends SlackApiTextResponse> {
    T run() throws IOException, SlackApiException;
  }

  private <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
    try {
      T response = call.run();
      if (!response.isOk()) {
        throw new IllegalStateException(method + " as " + name + " failed: " + response.getError());
      }
      return response;
    } catch (IOException | SlackApiException e) {
      throw new IllegalStateException(method + " as " + name + " failed: " + e, e);
    }
  }
}
