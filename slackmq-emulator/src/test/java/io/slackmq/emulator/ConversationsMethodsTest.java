package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.response.conversations.ConversationsCreateResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsInfoResponse;
import com.slack.api.methods.response.conversations.ConversationsJoinResponse;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationsMethodsTest extends WebApiTestBase {

  /** Posts n messages to a fresh channel of bot A; returns their ts, oldest first. */
  private static List<String> channelWith(String channel, int n) throws Exception {
    List<String> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ts.add(post(botA, channel, "m" + i));
    }
    return ts;
  }

  private static List<String> tsOf(List<Message> messages) {
    return messages.stream().map(Message::getTs).toList();
  }

  private static List<String> newestFirst(List<String> ts) {
    List<String> copy = new ArrayList<>(ts);
    java.util.Collections.reverse(copy);
    return copy;
  }

  @Test
  void create_validName_makesCreatorMember() throws Exception {
    ConversationsCreateResponse r = api(botA).conversationsCreate(q -> q.name("deploys"));
    assertThat(r.isOk()).isTrue();
    Conversation c = r.getChannel();
    assertThat(c.getId()).startsWith("C");
    assertThat(c.getName()).isEqualTo("deploys");
    assertThat(c.isPrivate()).isFalse();
    assertThat(c.isMember()).isTrue();
    assertThat(c.getCreator()).isEqualTo(userA);
    assertThat(api(botB).conversationsCreate(q -> q.name("deploys")).getError())
        .isEqualTo("name_taken");
  }

  @Test
  void create_badNames_followSlackRules() throws Exception {
    assertThat(api(botA).conversationsCreate(q -> q.name("Ops-Upper")).getError())
        .isEqualTo("invalid_name_specials");
    assertThat(api(botA).conversationsCreate(q -> q.name("has space")).getError())
        .isEqualTo("invalid_name_specials");
    assertThat(api(botA).conversationsCreate(q -> q.name("x".repeat(81))).getError())
        .isEqualTo("invalid_name_maxlength");
    assertThat(api(botA).conversationsCreate(q -> q.name("y".repeat(80))).isOk()).isTrue();
    assertThat(api(botA).conversationsCreate(q -> q).getError()).isEqualTo("invalid_name_required");
    assertThat(api(botA).conversationsCreate(q -> q.name("--_")).getError())
        .isEqualTo("invalid_name_punctuation");
  }

  @Test
  void create_private_isInvisibleToOthers() throws Exception {
    String secret = newChannel(botA, true);
    assertThat(api(botA).conversationsInfo(q -> q.channel(secret)).getChannel().isPrivate())
        .isTrue();
    assertThat(api(botB).conversationsInfo(q -> q.channel(secret)).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(botB).conversationsHistory(q -> q.channel(secret)).getError())
        .isEqualTo("channel_not_found");
  }

  @Test
  void info_knownAndUnknown() throws Exception {
    ConversationsInfoResponse r = api(botA).conversationsInfo(q -> q.channel(ops));
    assertThat(r.getChannel().getName()).isEqualTo("ops");
    assertThat(r.getChannel().isMember()).isTrue();
    assertThat(r.getChannel().isChannel()).isTrue();
    assertThat(api(botA).conversationsInfo(q -> q.channel("C0NOTHERE00")).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(appToken).conversationsInfo(q -> q.channel(ops)).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void list_paginatesWithCursor() throws Exception {
    for (int i = 0; i < 3; i++) {
      newChannel(botA, false);
    }
    List<String> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String c = cursor;
      ConversationsListResponse r = api(botB).conversationsList(q -> q.limit(2).cursor(c));
      assertThat(r.getError()).isNull();
      assertThat(r.getChannels().size()).isLessThanOrEqualTo(2);
      r.getChannels().forEach(ch -> all.add(ch.getId()));
      cursor = r.getResponseMetadata().getNextCursor();
      pages++;
    } while (!cursor.isEmpty());
    ConversationsListResponse everything = api(botB).conversationsList(q -> q.limit(1000));
    assertThat(all)
        .containsExactlyElementsOf(
            everything.getChannels().stream().map(Conversation::getId).toList());
    assertThat(pages).isGreaterThanOrEqualTo(2);
    assertThat(all).contains(ops).doesNotHaveDuplicates();
  }

  @Test
  void list_types_selectPublicOrPrivate() throws Exception {
    String secret = newChannel(botA, true);
    List<String> pub =
        api(botA).conversationsList(q -> q.limit(1000)).getChannels().stream()
            .map(Conversation::getId)
            .toList();
    List<String> priv =
        api(botA)
            .conversationsList(q -> q.types(List.of(ConversationType.PRIVATE_CHANNEL)).limit(1000))
            .getChannels()
            .stream()
            .map(Conversation::getId)
            .toList();
    List<String> privOfB =
        api(botB)
            .conversationsList(q -> q.types(List.of(ConversationType.PRIVATE_CHANNEL)).limit(1000))
            .getChannels()
            .stream()
            .map(Conversation::getId)
            .toList();
    assertThat(pub).contains(ops).doesNotContain(secret);
    assertThat(priv).contains(secret).doesNotContain(ops);
    assertThat(privOfB).doesNotContain(secret);
  }

  private static String rawGet(String methodAndQuery) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(slack.apiUrl() + methodAndQuery))
                .header("Authorization", "Bearer " + botA)
                .GET()
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void list_badTypesLimitOrCursor_areRefused() throws Exception {
    assertThat(api(botA).conversationsList(q -> q.cursor("bm90IG91cnM=")).getError())
        .isEqualTo("invalid_cursor");
    // The SDK only sends well-formed values, so these go over plain HTTP.
    assertThat(rawGet("conversations.list?types=channels"))
        .isEqualTo("{\"ok\":false,\"error\":\"invalid_types\"}");
    assertThat(rawGet("conversations.list?limit=many"))
        .isEqualTo("{\"ok\":false,\"error\":\"invalid_arguments\"}");
    assertThat(rawGet("conversations.history?channel=" + ops + "&limit=-1"))
        .isEqualTo("{\"ok\":false,\"error\":\"invalid_limit\"}");
  }

  @Test
  void withoutScopes_isMissingScope() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      updateApp(other, "slackmq-a", List.of("chat:write"), false);
      var bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String channel = other.env().get("SLACK_CHANNEL");
      assertThat(bot.conversationsHistory(q -> q.channel(channel)).getNeeded())
          .isEqualTo("channels:history");
      assertThat(bot.conversationsReplies(q -> q.channel(channel).ts("1.000001")).getNeeded())
          .isEqualTo("channels:history");
      assertThat(bot.conversationsList(q -> q).getNeeded()).isEqualTo("channels:read");
      assertThat(bot.conversationsInfo(q -> q.channel(channel)).getNeeded())
          .isEqualTo("channels:read");
      assertThat(bot.conversationsCreate(q -> q.name("x")).getNeeded())
          .isEqualTo("channels:manage");
      assertThat(bot.conversationsCreate(q -> q.name("x").isPrivate(true)).getNeeded())
          .isEqualTo("groups:write");
      assertThat(bot.conversationsJoin(q -> q.channel(channel)).getNeeded())
          .isEqualTo("channels:join");
      assertThat(bot.usersInfo(q -> q.user("U1")).getNeeded()).isEqualTo("users:read");
    }
  }

  @Test
  void history_privateChannel_needsGroupsHistory() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      var bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String secret =
          bot.conversationsCreate(q -> q.name("secret").isPrivate(true)).getChannel().getId();
      updateApp(other, "slackmq-a", List.of("channels:history", "groups:read"), false);
      assertThat(bot.conversationsHistory(q -> q.channel(secret)).getNeeded())
          .isEqualTo("groups:history");
      assertThat(bot.conversationsInfo(q -> q.channel(secret)).isOk()).isTrue();
    }
  }

  @Test
  void join_publicChannel_postsJoinNotice() throws Exception {
    String channel = newChannel(botA, false);
    ConversationsJoinResponse r = api(botB).conversationsJoin(q -> q.channel(channel));
    assertThat(r.isOk()).isTrue();
    assertThat(r.getChannel().isMember()).isTrue();
    Message notice = api(botB).conversationsHistory(q -> q.channel(channel)).getMessages().get(0);
    assertThat(notice.getSubtype()).isEqualTo("channel_join");
    assertThat(notice.getUser()).isEqualTo(userB);
    ConversationsJoinResponse again = api(botB).conversationsJoin(q -> q.channel(channel));
    assertThat(again.isOk()).isTrue();
    assertThat(again.getWarning()).isEqualTo("already_in_channel");
  }

  @Test
  void join_privateChannel_isNotSupported() throws Exception {
    String secret = newChannel(botA, true);
    assertThat(api(botA).conversationsJoin(q -> q.channel(secret)).getError())
        .isEqualTo("method_not_supported_for_channel_type");
    assertThat(api(botB).conversationsJoin(q -> q.channel(secret)).getError())
        .isEqualTo("channel_not_found");
  }

  @Test
  void history_newestFirst_pagesWithCursor() throws Exception {
    String channel = newChannel(botA, false);
    List<String> ts = channelWith(channel, 7);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    boolean more;
    do {
      String c = cursor;
      ConversationsHistoryResponse r =
          api(botA).conversationsHistory(q -> q.channel(channel).limit(3).cursor(c));
      assertThat(r.getMessages()).hasSizeLessThanOrEqualTo(3);
      seen.addAll(tsOf(r.getMessages()));
      more = r.isHasMore();
      cursor = more ? r.getResponseMetadata().getNextCursor() : null;
      assertThat(more).isEqualTo(cursor != null && !cursor.isEmpty());
    } while (more);
    assertThat(seen).containsExactlyElementsOf(newestFirst(ts));
  }

  @Test
  void history_defaultLimitIs100() throws Exception {
    String channel = newChannel(botA, false);
    channelWith(channel, 101);
    ConversationsHistoryResponse r = api(botA).conversationsHistory(q -> q.channel(channel));
    assertThat(r.getMessages()).hasSize(100);
    assertThat(r.isHasMore()).isTrue();
    assertThat(api(botA).conversationsHistory(q -> q.channel(channel).limit(5000)).getMessages())
        .hasSize(101);
  }

  @Test
  void history_bounds_respectInclusive() throws Exception {
    String channel = newChannel(botA, false);
    List<String> ts = channelWith(channel, 5);
    ConversationsHistoryResponse exclusive =
        api(botA).conversationsHistory(q -> q.channel(channel).oldest(ts.get(1)).latest(ts.get(3)));
    assertThat(tsOf(exclusive.getMessages())).containsExactly(ts.get(2));
    assertThat(exclusive.getLatest()).isEqualTo(ts.get(3));
    ConversationsHistoryResponse inclusive =
        api(botA)
            .conversationsHistory(
                q -> q.channel(channel).oldest(ts.get(1)).latest(ts.get(3)).inclusive(true));
    assertThat(tsOf(inclusive.getMessages())).containsExactly(ts.get(3), ts.get(2), ts.get(1));
    // latest alone: the page closest to latest; oldest alone: the page closest to oldest.
    assertThat(
            tsOf(
                api(botA)
                    .conversationsHistory(q -> q.channel(channel).latest(ts.get(3)).limit(2))
                    .getMessages()))
        .containsExactly(ts.get(2), ts.get(1));
    ConversationsHistoryResponse fromOldest =
        api(botA).conversationsHistory(q -> q.channel(channel).oldest(ts.get(0)).limit(2));
    assertThat(tsOf(fromOldest.getMessages())).containsExactly(ts.get(2), ts.get(1));
    assertThat(fromOldest.isHasMore()).isTrue();
    String next = fromOldest.getResponseMetadata().getNextCursor();
    assertThat(
            tsOf(
                api(botA)
                    .conversationsHistory(
                        q -> q.channel(channel).oldest(ts.get(0)).limit(2).cursor(next))
                    .getMessages()))
        .containsExactly(ts.get(4), ts.get(3));
    // Whole seconds are valid bounds too.
    assertThat(api(botA).conversationsHistory(q -> q.channel(channel).oldest("0")).getMessages())
        .hasSize(5);
  }

  @Test
  void history_badInput_givesSlackErrors() throws Exception {
    assertThat(api(botA).conversationsHistory(q -> q.channel(ops).latest("soon")).getError())
        .isEqualTo("invalid_ts_latest");
    assertThat(api(botA).conversationsHistory(q -> q.channel(ops).oldest("long ago")).getError())
        .isEqualTo("invalid_ts_oldest");
    assertThat(api(botA).conversationsHistory(q -> q.channel(ops).cursor("%%%")).getError())
        .isEqualTo("invalid_cursor");
    assertThat(api(botA).conversationsHistory(q -> q.channel("C0NOTHERE00")).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(appToken).conversationsHistory(q -> q.channel(ops)).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void history_hostileBounds_areRefusedAtOnce_andNeverWrapAround() throws Exception {
    post(botA, ops, "a message that must not come back");
    // Exponents are refused before any arithmetic: "1e10000000" took 5-7 s under the workspace
    // lock (BigDecimal expanding 10^10000000), and "1e3" passed for 1000 seconds.
    assertThat(api(botA).conversationsHistory(q -> q.channel(ops).oldest("1e3")).getError())
        .isEqualTo("invalid_ts_oldest");
    assertThat(api(botA).conversationsHistory(q -> q.channel(ops).oldest("1e10000000")).getError())
        .isEqualTo("invalid_ts_oldest");
    // The largest ts: nothing is newer; oldest + 1 used to wrap to the start of time.
    assertThat(
            api(botA)
                .conversationsHistory(q -> q.channel(ops).oldest("9223372036854.775807"))
                .getMessages())
        .isEmpty();
    // A cursor the emulator never issued, at the edge of a long.
    String forged =
        java.util.Base64.getEncoder()
            .encodeToString(
                "next_ts:older:-9223372036854775808"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(api(botA).conversationsHistory(q -> q.channel(ops).cursor(forged)).getError())
        .isEqualTo("invalid_cursor");
  }

  @Test
  void history_nonMemberBot_isNotInChannel_butHumansMayRead() throws Exception {
    String channel = newChannel(botA, false);
    post(botA, channel, "hello");
    assertThat(api(botB).conversationsHistory(q -> q.channel(channel)).getError())
        .isEqualTo("not_in_channel");
    assertThat(api(alice).conversationsHistory(q -> q.channel(channel)).getMessages()).hasSize(1);
  }

  @Test
  void history_reportsPinCount() throws Exception {
    String channel = newChannel(botA, false);
    String ts = post(botA, channel, "pin me");
    assertThat(api(botA).conversationsHistory(q -> q.channel(channel)).getPinCount()).isZero();
    api(botA).pinsAdd(q -> q.channel(channel).timestamp(ts));
    assertThat(api(botA).conversationsHistory(q -> q.channel(channel)).getPinCount()).isEqualTo(1);
  }

  @Test
  void historyAndReplies_nonMarketplaceApp_capLimitAt15() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      updateApp(other, "slackmq-a", WorkspaceSpec.DEFAULT_BOT_SCOPES, true);
      var a = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN_SLACKMQ_A"));
      var b = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN_SLACKMQ_B"));
      String channel = other.env().get("SLACK_CHANNEL");
      String parent = a.chatPostMessage(q -> q.channel(channel).text("p")).getTs();
      for (int i = 0; i < 20; i++) {
        a.chatPostMessage(q -> q.channel(channel).text("m"));
        a.chatPostMessage(q -> q.channel(channel).text("r").threadTs(parent));
      }
      assertThat(a.conversationsHistory(q -> q.channel(channel)).getMessages()).hasSize(15);
      assertThat(a.conversationsHistory(q -> q.channel(channel).limit(100)).getMessages())
          .hasSize(15);
      assertThat(b.conversationsHistory(q -> q.channel(channel)).getMessages()).hasSize(21);
      assertThat(a.conversationsReplies(q -> q.channel(channel).ts(parent)).getMessages())
          .hasSize(16); // the parent, then 15 replies
      assertThat(b.conversationsReplies(q -> q.channel(channel).ts(parent)).getMessages())
          .hasSize(21);
    }
  }

  @Test
  void replies_parentFirst_thenRepliesOldestFirst_paged() throws Exception {
    String channel = newChannel(botA, false);
    String parent = post(botA, channel, "parent");
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(
          api(botA).chatPostMessage(q -> q.channel(channel).text("r").threadTs(parent)).getTs());
    }
    ConversationsRepliesResponse all =
        api(botA).conversationsReplies(q -> q.channel(channel).ts(parent));
    assertThat(tsOf(all.getMessages()))
        .containsExactly(
            parent, replies.get(0), replies.get(1), replies.get(2), replies.get(3), replies.get(4));
    assertThat(all.isHasMore()).isFalse();

    List<String> paged = new ArrayList<>();
    String cursor = null;
    boolean more;
    do {
      String c = cursor;
      ConversationsRepliesResponse r =
          api(botA).conversationsReplies(q -> q.channel(channel).ts(parent).limit(2).cursor(c));
      assertThat(r.getMessages().get(0).getTs()).isEqualTo(parent);
      paged.addAll(tsOf(r.getMessages().subList(1, r.getMessages().size())));
      more = r.isHasMore();
      cursor = more ? r.getResponseMetadata().getNextCursor() : null;
    } while (more);
    assertThat(paged).containsExactlyElementsOf(replies);

    // A reply's ts gives the same thread; bounds select replies.
    assertThat(
            tsOf(
                api(botA)
                    .conversationsReplies(q -> q.channel(channel).ts(replies.get(2)))
                    .getMessages()))
        .containsExactlyElementsOf(tsOf(all.getMessages()));
    assertThat(
            tsOf(
                api(botA)
                    .conversationsReplies(
                        q ->
                            q.channel(channel)
                                .ts(parent)
                                .oldest(replies.get(1))
                                .latest(replies.get(3)))
                    .getMessages()))
        .containsExactly(parent, replies.get(2));
    assertThat(
            tsOf(
                api(botA)
                    .conversationsReplies(
                        q ->
                            q.channel(channel)
                                .ts(parent)
                                .oldest(replies.get(1))
                                .latest(replies.get(3))
                                .inclusive(true))
                    .getMessages()))
        .containsExactly(parent, replies.get(1), replies.get(2), replies.get(3));
  }

  @Test
  void replies_unthreadedMessage_isJustTheMessage() throws Exception {
    String ts = post(botA, "alone");
    ConversationsRepliesResponse r = api(botA).conversationsReplies(q -> q.channel(ops).ts(ts));
    assertThat(tsOf(r.getMessages())).containsExactly(ts);
  }

  @Test
  void replies_unknownMalformedOrMissingTs_isThreadNotFound() throws Exception {
    assertThat(api(botA).conversationsReplies(q -> q.channel(ops).ts("1.000001")).getError())
        .isEqualTo("thread_not_found");
    assertThat(api(botA).conversationsReplies(q -> q.channel(ops).ts("nope")).getError())
        .isEqualTo("thread_not_found");
    assertThat(api(botA).conversationsReplies(q -> q.channel(ops)).getError())
        .isEqualTo("thread_not_found");
  }

  @Test
  void replies_joinNotice_isThreadNotFound() throws Exception {
    String channel = newChannel(botA, false);
    api(botB).conversationsJoin(q -> q.channel(channel));
    String notice =
        api(botA).conversationsHistory(q -> q.channel(channel)).getMessages().get(0).getTs();
    assertThat(api(botA).conversationsReplies(q -> q.channel(channel).ts(notice)).getError())
        .isEqualTo("thread_not_found");
    assertThat(
            api(botA)
                .chatPostMessage(q -> q.channel(channel).text("x").threadTs(notice))
                .getError())
        .isEqualTo("thread_not_found");
  }
}
