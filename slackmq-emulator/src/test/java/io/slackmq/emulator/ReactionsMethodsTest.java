package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.reactions.ReactionsAddResponse;
import com.slack.api.methods.response.reactions.ReactionsGetResponse;
import com.slack.api.model.Reaction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReactionsMethodsTest extends WebApiTestBase {

  private static List<Reaction> reactions(String token, String ts) throws Exception {
    ReactionsGetResponse r = api(token).reactionsGet(q -> q.channel(ops).timestamp(ts).full(true));
    assertThat(r.getError()).isNull();
    return r.getMessage().getReactions();
  }

  @Test
  void add_perUser_sameEmojiByTwoBots_bothCount() throws Exception {
    String ts = post(alice, "job");
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("lock")).isOk())
        .isTrue();
    assertThat(api(botB).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("lock")).isOk())
        .isTrue();
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("lock")).getError())
        .isEqualTo("already_reacted");
    List<Reaction> rs = reactions(botA, ts);
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0).getName()).isEqualTo("lock");
    assertThat(rs.get(0).getCount()).isEqualTo(2);
    assertThat(rs.get(0).getUsers()).containsExactly(userA, userB);
  }

  @Test
  void get_returnsTypeChannelAndMessage() throws Exception {
    String ts = post(alice, "x");
    api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("eyes"));
    ReactionsGetResponse r = api(botA).reactionsGet(q -> q.channel(ops).timestamp(ts).full(true));
    assertThat(r.getType()).isEqualTo("message");
    assertThat(r.getChannel()).isEqualTo(ops);
    assertThat(r.getMessage().getTs()).isEqualTo(ts);
    assertThat(r.getMessage().getText()).isEqualTo("x");
    assertThat(r.getMessage().getPermalink()).contains(ops);
  }

  @Test
  void add_concurrentlyBySameUser_exactlyOneWins() throws Exception {
    String ts = post(alice, "contended");
    int threads = 20;
    List<ReactionsAddResponse> results =
        concurrently(
            threads,
            i -> {
              MethodsClient client = api(botA);
              return () -> client.reactionsAdd(q -> q.channel(ops).timestamp(ts).name("lock"));
            });
    assertThat(results).filteredOn(ReactionsAddResponse::isOk).hasSize(1);
    assertThat(results)
        .filteredOn(r -> "already_reacted".equals(r.getError()))
        .hasSize(threads - 1);
  }

  @Test
  void add_names_aliasesSkinTonesColonsAndInvalid() throws Exception {
    String ts = post(alice, "names");
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("thumbsup")).isOk())
        .isTrue();
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("+1")).getError())
        .isEqualTo("already_reacted");
    assertThat(
            api(botA)
                .reactionsAdd(q -> q.channel(ops).timestamp(ts).name("wave::skin-tone-3"))
                .isOk())
        .isTrue();
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name(":rocket:")).isOk())
        .isTrue();
    assertThat(
            api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("party-parrot")).isOk())
        .isTrue();
    assertThat(
            api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("Not Valid!")).getError())
        .isEqualTo("invalid_name");
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("invalid_name");
    assertThat(
            api(botA)
                .reactionsAdd(q -> q.channel(ops).timestamp(ts).name("x".repeat(101)))
                .getError())
        .isEqualTo("invalid_name");
    assertThat(reactions(botA, ts))
        .extracting(Reaction::getName)
        .containsExactly("+1", "wave::skin-tone-3", "rocket", "party-parrot");
  }

  @Test
  void add_strictNames_refuseUnknownEmoji() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      workspace(other).limits(new Limits(100, 50, 23, "no_pin", true));
      MethodsClient bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String channel = other.env().get("SLACK_CHANNEL");
      String ts = bot.chatPostMessage(q -> q.channel(channel).text("x")).getTs();
      assertThat(
              bot.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("party-parrot"))
                  .getError())
          .isEqualTo("invalid_name");
      assertThat(
              bot.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("white_check_mark"))
                  .isOk())
          .isTrue();
    }
  }

  @Test
  void add_pastCaps_isTooManyEmojiOrReactions() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      workspace(other).limits(new Limits(100, 3, 2, "no_pin", false));
      MethodsClient a = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN_SLACKMQ_A"));
      MethodsClient b = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN_SLACKMQ_B"));
      String channel = other.env().get("SLACK_CHANNEL");
      String ts = a.chatPostMessage(q -> q.channel(channel).text("x")).getTs();
      assertThat(a.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("one")).isOk()).isTrue();
      assertThat(a.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("two")).isOk()).isTrue();
      assertThat(a.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("three")).getError())
          .isEqualTo("too_many_reactions");
      assertThat(b.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("three")).isOk())
          .isTrue();
      assertThat(b.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("four")).getError())
          .isEqualTo("too_many_emoji");
      assertThat(b.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("one")).isOk()).isTrue();
      assertThat(b.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("two")).getError())
          .isEqualTo("too_many_reactions");
    }
    assertThat(Limits.DEFAULT.emojiPerMessage()).isEqualTo(50);
    assertThat(Limits.DEFAULT.reactionsPerUser()).isEqualTo(23);
  }

  @Test
  void remove_ownReaction_thenAgain_isNoReaction() throws Exception {
    String ts = post(alice, "x");
    api(botA).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("hourglass"));
    api(botB).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("hourglass"));
    assertThat(
            api(botA).reactionsRemove(q -> q.channel(ops).timestamp(ts).name("hourglass")).isOk())
        .isTrue();
    assertThat(
            api(botA)
                .reactionsRemove(q -> q.channel(ops).timestamp(ts).name("hourglass"))
                .getError())
        .isEqualTo("no_reaction");
    assertThat(reactions(botA, ts).get(0).getUsers()).containsExactly(userB);
    assertThat(api(botA).reactionsRemove(q -> q.channel(ops).timestamp(ts).name("!!")).getError())
        .isEqualTo("invalid_name");
  }

  @Test
  void badInput_givesSlackErrors() throws Exception {
    String ts = post(alice, "x");
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).name("eyes")).getError())
        .isEqualTo("no_item_specified");
    assertThat(api(botA).reactionsAdd(q -> q.channel(ops).timestamp("now").name("eyes")).getError())
        .isEqualTo("bad_timestamp");
    assertThat(
            api(botA)
                .reactionsAdd(q -> q.channel(ops).timestamp("1.000001").name("eyes"))
                .getError())
        .isEqualTo("message_not_found");
    assertThat(
            api(botA)
                .reactionsAdd(q -> q.channel("C0NOTHERE00").timestamp(ts).name("eyes"))
                .getError())
        .isEqualTo("channel_not_found");
    assertThat(api(botA).reactionsGet(q -> q.channel(ops)).getError())
        .isEqualTo("no_item_specified");
    assertThat(api(botA).reactionsGet(q -> q.channel(ops).timestamp("1.000001")).getError())
        .isEqualTo("message_not_found");
    assertThat(api(botA).reactionsRemove(q -> q.channel(ops).timestamp("bad").name("x")).getError())
        .isEqualTo("bad_timestamp");
    assertThat(
            api(appToken).reactionsAdd(q -> q.channel(ops).timestamp(ts).name("eyes")).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void withoutReactionScopes_isMissingScope() throws Exception {
    try (Emulator other = Emulator.builder().noRateLimits().start()) {
      updateApp(other, "slackmq-a", List.of("chat:write"), false);
      MethodsClient bot = SdkClients.methods(other, other.env().get("SLACK_BOT_TOKEN"));
      String channel = other.env().get("SLACK_CHANNEL");
      String ts = bot.chatPostMessage(q -> q.channel(channel).text("x")).getTs();
      assertThat(bot.reactionsAdd(q -> q.channel(channel).timestamp(ts).name("eyes")).getNeeded())
          .isEqualTo("reactions:write");
      assertThat(bot.reactionsGet(q -> q.channel(channel).timestamp(ts)).getNeeded())
          .isEqualTo("reactions:read");
    }
  }
}
