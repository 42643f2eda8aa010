package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.pins.PinsAddResponse;
import com.slack.api.methods.response.pins.PinsListResponse;
import com.slack.api.model.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinsMethodsTest extends WebApiTestBase {

  @Test
  void add_thenList_showsWhoPinnedAndWhen() throws Exception {
    String channel = newChannel(botA, false);
    String ts = post(botA, channel, "job 1");
    long before = System.currentTimeMillis() / 1000;
    assertThat(api(botA).pinsAdd(q -> q.channel(channel).timestamp(ts)).isOk()).isTrue();
    PinsListResponse list = api(botA).pinsList(q -> q.channel(channel));
    assertThat(list.getItems()).hasSize(1);
    PinsListResponse.MessageItem item = list.getItems().get(0);
    assertThat(item.getType()).isEqualTo("message");
    assertThat(item.getChannel()).isEqualTo(channel);
    assertThat(item.getCreatedBy()).isEqualTo(userA);
    assertThat((long) item.getCreated()).isBetween(before, before + 60);
    assertThat(item.getMessage().getTs()).isEqualTo(ts);
    assertThat(item.getMessage().getPinnedTo()).containsExactly(channel);
    assertThat(item.getMessage().getPermalink()).contains(channel);
  }

  @Test
  void add_twice_isAlreadyPinned_evenForAnotherBot() throws Exception {
    String ts = post(botA, "job 2");
    assertThat(api(botA).pinsAdd(q -> q.channel(ops).timestamp(ts)).isOk()).isTrue();
    assertThat(api(botA).pinsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("already_pinned");
    assertThat(api(botB).pinsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("already_pinned");
    assertThat(api(alice).pinsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("already_pinned");
  }

  @Test
  void add_concurrently_exactlyOneWins() throws Exception {
    String ts = post(alice, "contended");
    int threads = 20;
    List<PinsAddResponse> results =
        concurrently(
            threads,
            i -> {
              MethodsClient client = api(i % 2 == 0 ? botA : botB);
              return () -> client.pinsAdd(q -> q.channel(ops).timestamp(ts));
            });
    assertThat(results).filteredOn(PinsAddResponse::isOk).hasSize(1);
    assertThat(results).filteredOn(r -> "already_pinned".equals(r.getError())).hasSize(threads - 1);
  }

  @Test
  void remove_byAnyone_thenAgain_isNoPin() throws Exception {
    String ts = post(botA, "job 3");
    api(botA).pinsAdd(q -> q.channel(ops).timestamp(ts));
    assertThat(api(botB).pinsRemove(q -> q.channel(ops).timestamp(ts)).isOk()).isTrue();
    assertThat(api(botB).pinsRemove(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("no_pin");
    Message m =
        api(botA)
            .conversationsHistory(q -> q.channel(ops).latest(ts).inclusive(true).limit(1))
            .getMessages()
            .get(0);
    assertThat(m.getPinnedTo()).isNull();
  }

  @Test
  void remove_notPinnedError_isConfigurable() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      workspace(other).limits(new Limits(100, 50, 23, "not_pinned", false));
      MethodsClient bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String channel = other.env().get("SLACK_CHANNEL");
      String ts = bot.chatPostMessage(q -> q.channel(channel).text("x")).getTs();
      assertThat(bot.pinsRemove(q -> q.channel(channel).timestamp(ts)).getError())
          .isEqualTo("not_pinned");
    }
  }

  @Test
  void add_joinNotice_isNotPinnable() throws Exception {
    String channel = newChannel(botA, false);
    api(botB).conversationsJoin(q -> q.channel(channel));
    String notice =
        api(botA).conversationsHistory(q -> q.channel(channel)).getMessages().get(0).getTs();
    assertThat(api(botA).pinsAdd(q -> q.channel(channel).timestamp(notice)).getError())
        .isEqualTo("not_pinnable");
  }

  @Test
  void add_pastTheCap_isTooManyPins() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      workspace(other).limits(new Limits(2, 50, 23, "no_pin", false));
      MethodsClient bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String channel = other.env().get("SLACK_CHANNEL");
      List<String> ts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ts.add(bot.chatPostMessage(q -> q.channel(channel).text("x")).getTs());
      }
      assertThat(bot.pinsAdd(q -> q.channel(channel).timestamp(ts.get(0))).isOk()).isTrue();
      assertThat(bot.pinsAdd(q -> q.channel(channel).timestamp(ts.get(1))).isOk()).isTrue();
      assertThat(bot.pinsAdd(q -> q.channel(channel).timestamp(ts.get(2))).getError())
          .isEqualTo("too_many_pins");
      bot.pinsRemove(q -> q.channel(channel).timestamp(ts.get(0)));
      assertThat(bot.pinsAdd(q -> q.channel(channel).timestamp(ts.get(2))).isOk()).isTrue();
    }
  }

  @Test
  void add_defaultCap_is100() {
    assertThat(Limits.DEFAULT.pinsPerChannel()).isEqualTo(100);
  }

  @Test
  void badInput_givesSlackErrors() throws Exception {
    String ts = post(botA, "x");
    assertThat(api(botA).pinsAdd(q -> q.channel(ops)).getError()).isEqualTo("no_item_specified");
    assertThat(api(botA).pinsAdd(q -> q.channel(ops).timestamp("12:00")).getError())
        .isEqualTo("bad_timestamp");
    assertThat(api(botA).pinsAdd(q -> q.channel(ops).timestamp("1.000001")).getError())
        .isEqualTo("message_not_found");
    assertThat(api(botA).pinsAdd(q -> q.channel("C0NOTHERE00").timestamp(ts)).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(botA).pinsAdd(q -> q.timestamp(ts)).getError()).isEqualTo("channel_not_found");
    assertThat(api(botA).pinsRemove(q -> q.channel(ops)).getError()).isEqualTo("no_item_specified");
    assertThat(api(botA).pinsRemove(q -> q.channel(ops).timestamp("x")).getError())
        .isEqualTo("bad_timestamp");
    assertThat(api(botA).pinsList(q -> q.channel("C0NOTHERE00")).getError())
        .isEqualTo("channel_not_found");
    assertThat(api(appToken).pinsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("not_allowed_token_type");
    assertThat(api(appToken).pinsList(q -> q.channel(ops)).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void add_nonMember_isNotInChannel() throws Exception {
    String channel = newChannel(botA, false);
    String ts = post(botA, channel, "x");
    assertThat(api(botB).pinsAdd(q -> q.channel(channel).timestamp(ts)).getError())
        .isEqualTo("not_in_channel");
  }

  @Test
  void withoutPinsScopes_isMissingScope() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      updateApp(other, "slackmq-a", List.of("chat:write"), false);
      MethodsClient bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String channel = other.env().get("SLACK_CHANNEL");
      String ts = bot.chatPostMessage(q -> q.channel(channel).text("x")).getTs();
      var add = bot.pinsAdd(q -> q.channel(channel).timestamp(ts));
      assertThat(add.getError()).isEqualTo("missing_scope");
      assertThat(add.getNeeded()).isEqualTo("pins:write");
      assertThat(bot.pinsList(q -> q.channel(channel)).getNeeded()).isEqualTo("pins:read");
    }
  }
}
