package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.response.bots.BotsInfoResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.methods.response.users.UsersListResponse;
import com.slack.api.model.User;
import org.junit.jupiter.api.Test;

class UsersMethodsTest extends WebApiTestBase {

  @Test
  void usersInfo_humanAndBot() throws Exception {
    UsersInfoResponse human = api(botA).usersInfo(q -> q.user(aliceId));
    assertThat(human.getUser().getName()).isEqualTo("alice");
    assertThat(human.getUser().isBot()).isFalse();
    assertThat(human.getUser().getTeamId()).isEqualTo(env.get("SLACK_TEAM_ID"));
    UsersInfoResponse bot = api(alice).usersInfo(q -> q.user(userB));
    assertThat(bot.getUser().isBot()).isTrue();
    assertThat(bot.getUser().getProfile().getBotId()).startsWith("B");
  }

  @Test
  void usersInfo_unknownOrMissing_isUserNotFound() throws Exception {
    assertThat(api(botA).usersInfo(q -> q.user("U0NOBODY000")).getError())
        .isEqualTo("user_not_found");
    assertThat(api(botA).usersInfo(q -> q).getError()).isEqualTo("user_not_found");
    assertThat(api(appToken).usersInfo(q -> q.user(aliceId)).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void botsInfo_knownAndUnknown() throws Exception {
    String botId = api(botB).authTest(q -> q).getBotId();
    BotsInfoResponse r = api(botA).botsInfo(q -> q.bot(botId));
    assertThat(r.getBot().getId()).isEqualTo(botId);
    assertThat(r.getBot().getName()).isEqualTo("slackmq-b");
    assertThat(r.getBot().getUserId()).isEqualTo(userB);
    assertThat(r.getBot().getAppId()).isEqualTo(env.get("SLACK_APP_ID_SLACKMQ_B"));
    assertThat(api(botA).botsInfo(q -> q.bot("B0NOBOT0000")).getError()).isEqualTo("bot_not_found");
  }

  @Test
  void usersList_pagesThroughTheTeam() throws Exception {
    UsersListResponse all = api(botA).usersList(q -> q);
    assertThat(all.getMembers()).extracting(User::getId).contains(aliceId, userA, userB);
    UsersListResponse first = api(botA).usersList(q -> q.limit(2));
    assertThat(first.getMembers()).hasSize(2);
    String cursor = first.getResponseMetadata().getNextCursor();
    UsersListResponse rest = api(botA).usersList(q -> q.limit(2).cursor(cursor));
    assertThat(rest.getMembers())
        .extracting(User::getId)
        .doesNotContainAnyElementsOf(first.getMembers().stream().map(User::getId).toList());
  }
}
