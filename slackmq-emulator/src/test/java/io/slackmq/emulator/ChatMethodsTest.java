package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.response.chat.ChatDeleteResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatMethodsTest extends WebApiTestBase {

  @Test
  void postMessage_botToken_rendersBotMessage() throws Exception {
    ChatPostMessageResponse r = api(botA).chatPostMessage(q -> q.channel(ops).text("hostname"));
    assertThat(r.isOk()).isTrue();
    assertThat(r.getChannel()).isEqualTo(ops);
    assertThat(r.getTs()).matches("\\d+\\.\\d{6}");
    Message m = r.getMessage();
    assertThat(m.getText()).isEqualTo("hostname");
    assertThat(m.getTs()).isEqualTo(r.getTs());
    assertThat(m.getUser()).isEqualTo(userA);
    assertThat(m.getBotId()).startsWith("B");
    assertThat(m.getAppId()).isEqualTo(env.get("SLACK_APP_ID_SLACKMQ_A"));
    assertThat(m.getBotProfile().getName()).isEqualTo("slackmq-a");
    assertThat(m.getBotProfile().getAppId()).isEqualTo(m.getAppId());
    assertThat(m.getSubtype()).isNull();
  }

  @Test
  void postMessage_userToken_hasNoBotId() throws Exception {
    ChatPostMessageResponse r = api(alice).chatPostMessage(q -> q.channel(ops).text("hi"));
    assertThat(r.getMessage().getUser()).isEqualTo(aliceId);
    assertThat(r.getMessage().getBotId()).isNull();
    assertThat(r.getMessage().getBotProfile()).isNull();
  }

  @Test
  void postMessage_channelName_withOrWithoutHash_resolves() throws Exception {
    assertThat(api(botA).chatPostMessage(q -> q.channel("ops").text("a")).getChannel())
        .isEqualTo(ops);
    assertThat(api(botA).chatPostMessage(q -> q.channel("#ops").text("b")).getChannel())
        .isEqualTo(ops);
    assertThat(api(botA).chatPostMessage(q -> q.channel("#nope").text("c")).getError())
        .isEqualTo("channel_not_found");
  }

  @Test
  void postMessage_badInput_givesSlackErrors() throws Exception {
    assertThat(api(botA).chatPostMessage(q -> q.channel(ops)).getError()).isEqualTo("no_text");
    assertThat(api(botA).chatPostMessage(q -> q.channel("C0NOTHERE00").text("x")).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(botA).chatPostMessage(q -> q.text("x")).getError())
        .isEqualTo("channel_not_found");
    String tooLong = "x".repeat(ChatMethods.MAX_TEXT + 1);
    assertThat(api(botA).chatPostMessage(q -> q.channel(ops).text(tooLong)).getError())
        .isEqualTo("msg_too_long");
    String longest = "y".repeat(ChatMethods.MAX_TEXT);
    assertThat(api(botA).chatPostMessage(q -> q.channel(ops).text(longest)).isOk()).isTrue();
  }

  @Test
  void postMessage_blocksOnly_isAccepted() throws Exception {
    ChatPostMessageResponse r =
        api(botA)
            .chatPostMessage(
                q ->
                    q.channel(ops)
                        .blocksAsString(
                            "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi\"}}]"));
    assertThat(r.getError()).isNull();
    assertThat(r.getMessage().getText()).isEmpty();
  }

  @Test
  void postMessage_nonMember_isNotInChannel() throws Exception {
    String channel = newChannel(botA, false);
    assertThat(api(botB).chatPostMessage(q -> q.channel(channel).text("x")).getError())
        .isEqualTo("not_in_channel");
  }

  @Test
  void postMessage_appToken_isNotAllowed() throws Exception {
    assertThat(api(appToken).chatPostMessage(q -> q.channel(ops).text("x")).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void postMessage_withoutChatWrite_isMissingScope() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      updateApp(other, "slackmq-a", List.of("channels:read"), false);
      ChatPostMessageResponse r =
          SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"))
              .chatPostMessage(q -> q.channel(other.env().get("SLACK_CHANNEL")).text("x"));
      assertThat(r.getError()).isEqualTo("missing_scope");
      assertThat(r.getNeeded()).isEqualTo("chat:write");
      assertThat(r.getProvided()).isEqualTo("channels:read");
    }
  }

  @Test
  void postMessage_threadReply_linksParentAndReply() throws Exception {
    String parent = post(alice, "parent");
    ChatPostMessageResponse reply =
        api(botA).chatPostMessage(q -> q.channel(ops).text("reply").threadTs(parent));
    assertThat(reply.getMessage().getThreadTs()).isEqualTo(parent);
    assertThat(reply.getMessage().getParentUserId()).isEqualTo(aliceId);

    // A reply's ts names its thread.
    ChatPostMessageResponse second =
        api(botB).chatPostMessage(q -> q.channel(ops).text("again").threadTs(reply.getTs()));
    assertThat(second.getMessage().getThreadTs()).isEqualTo(parent);

    ConversationsRepliesResponse thread =
        api(alice).conversationsReplies(q -> q.channel(ops).ts(parent));
    Message p = thread.getMessages().get(0);
    assertThat(p.getReplyCount()).isEqualTo(2);
    assertThat(p.getReplyUsers()).containsExactly(userA, userB);
    assertThat(p.getReplyUsersCount()).isEqualTo(2);
    assertThat(p.getLatestReply()).isEqualTo(second.getTs());
    assertThat(p.getThreadTs()).isEqualTo(parent);
  }

  @Test
  void postMessage_threadTs_unknownOrMalformed_isRefused() throws Exception {
    assertThat(
            api(botA)
                .chatPostMessage(q -> q.channel(ops).text("r").threadTs("1.000001"))
                .getError())
        .isEqualTo("thread_not_found");
    assertThat(api(botA).chatPostMessage(q -> q.channel(ops).text("r").threadTs("0")).getError())
        .isEqualTo("invalid_thread_ts");
  }

  @Test
  void postMessage_replyBroadcast_appearsInHistory() throws Exception {
    String parent = post(botA, "broadcast parent");
    String hidden =
        api(botA).chatPostMessage(q -> q.channel(ops).text("quiet").threadTs(parent)).getTs();
    ChatPostMessageResponse loud =
        api(botA)
            .chatPostMessage(
                q -> q.channel(ops).text("loud").threadTs(parent).replyBroadcast(true));
    assertThat(loud.getMessage().getSubtype()).isEqualTo("thread_broadcast");
    ConversationsHistoryResponse h =
        api(botA).conversationsHistory(q -> q.channel(ops).oldest(parent).inclusive(true));
    assertThat(h.getMessages())
        .extracting(Message::getTs)
        .containsExactly(loud.getTs(), parent)
        .doesNotContain(hidden);
  }

  @Test
  void update_ownMessage_setsEdited() throws Exception {
    String ts = post(botA, "before");
    ChatUpdateResponse r = api(botA).chatUpdate(q -> q.channel(ops).ts(ts).text("after"));
    assertThat(r.isOk()).isTrue();
    assertThat(r.getTs()).isEqualTo(ts);
    assertThat(r.getText()).isEqualTo("after");
    assertThat(r.getMessage().getEdited().getUser()).isEqualTo(userA);
    assertThat(r.getMessage().getEdited().getTs()).isGreaterThan(ts);
  }

  @Test
  void update_othersMessage_isCantUpdate() throws Exception {
    String ts = post(alice, "mine");
    assertThat(api(botA).chatUpdate(q -> q.channel(ops).ts(ts).text("x")).getError())
        .isEqualTo("cant_update_message");
  }

  @Test
  void update_badInput_givesSlackErrors() throws Exception {
    String ts = post(botA, "x");
    assertThat(api(botA).chatUpdate(q -> q.channel(ops).ts("1.000001").text("x")).getError())
        .isEqualTo("message_not_found");
    assertThat(api(botA).chatUpdate(q -> q.channel(ops).ts("yesterday").text("x")).getError())
        .isEqualTo("bad_timestamp");
    assertThat(api(botA).chatUpdate(q -> q.channel(ops).ts(ts)).getError()).isEqualTo("no_text");
    assertThat(api(botA).chatUpdate(q -> q.channel("C0NOTHERE00").ts(ts).text("x")).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(botA).chatUpdate(q -> q.channel(ops).text("x")).getError())
        .isEqualTo("message_not_found");
  }

  @Test
  void delete_ownMessage_removesIt() throws Exception {
    String ts = post(botA, "doomed");
    ChatDeleteResponse r = api(botA).chatDelete(q -> q.channel(ops).ts(ts));
    assertThat(r.isOk()).isTrue();
    assertThat(r.getTs()).isEqualTo(ts);
    assertThat(api(botA).chatDelete(q -> q.channel(ops).ts(ts)).getError())
        .isEqualTo("message_not_found");
  }

  @Test
  void delete_human_mayDeleteOwnButNotOthers() throws Exception {
    String mine = post(alice, "alice's");
    String bots = post(botA, "bot's");
    assertThat(api(alice).chatDelete(q -> q.channel(ops).ts(mine)).isOk()).isTrue();
    assertThat(api(alice).chatDelete(q -> q.channel(ops).ts(bots)).getError())
        .isEqualTo("cant_delete_message");
    assertThat(api(botB).chatDelete(q -> q.channel(ops).ts(bots)).getError())
        .isEqualTo("cant_delete_message");
  }

  @Test
  void getPermalink_givesSlacksShape_andAReplyLinkNamesItsThread() throws Exception {
    String ts = api(botA).chatPostMessage(q -> q.channel(ops).text("parent")).getTs();
    String reply =
        api(botA).chatPostMessage(q -> q.channel(ops).threadTs(ts).text("reply")).getTs();
    var r = api(alice).chatGetPermalink(q -> q.channel(ops).messageTs(ts));
    assertThat(r.isOk()).isTrue();
    assertThat(r.getChannel()).isEqualTo(ops);
    assertThat(r.getPermalink())
        .matches("https://[a-z0-9-]+\\.slack\\.com/archives/" + ops + "/p\\d{16}")
        .endsWith("/p" + ts.replace(".", ""));
    assertThat(api(botA).chatGetPermalink(q -> q.channel(ops).messageTs(reply)).getPermalink())
        .endsWith("/p" + reply.replace(".", "") + "?thread_ts=" + ts + "&cid=" + ops);
  }

  @Test
  void getPermalink_unknownChannelOrMessage_givesSlacksErrors() throws Exception {
    assertThat(api(botA).chatGetPermalink(q -> q.channel("C0NOTHERE00").messageTs("1.000001")))
        .extracting(r -> r.getError())
        .isEqualTo("channel_not_found");
    assertThat(api(botA).chatGetPermalink(q -> q.channel(ops).messageTs("1500000000.000001")))
        .extracting(r -> r.getError())
        .isEqualTo("message_not_found");
    assertThat(api(botA).chatGetPermalink(q -> q.channel(ops).messageTs("soon")).getError())
        .isEqualTo("message_not_found");
    assertThat(api(botA).chatGetPermalink(q -> q.channel(ops)).getError())
        .isEqualTo("message_not_found");
  }
}
