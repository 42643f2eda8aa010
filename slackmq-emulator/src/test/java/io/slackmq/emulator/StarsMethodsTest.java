package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.stars.StarsAddResponse;
import com.slack.api.methods.response.stars.StarsListResponse;
import com.slack.api.model.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class StarsMethodsTest extends WebApiTestBase {

  @Test
  void add_userToken_thenAgain_isAlreadyStarred() throws Exception {
    String ts = post(botA, "star me");
    assertThat(api(alice).starsAdd(q -> q.channel(ops).timestamp(ts)).isOk()).isTrue();
    assertThat(api(alice).starsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("already_starred");
  }

  @Test
  void add_concurrently_exactlyOneWins() throws Exception {
    String ts = post(botA, "contended star");
    List<StarsAddResponse> results =
        concurrently(
            20,
            i -> {
              MethodsClient client = api(alice);
              return () -> client.starsAdd(q -> q.channel(ops).timestamp(ts));
            });
    assertThat(results).filteredOn(StarsAddResponse::isOk).hasSize(1);
    assertThat(results).filteredOn(r -> "already_starred".equals(r.getError())).hasSize(19);
  }

  @Test
  void add_botOrAppToken_isNotAllowedTokenType() throws Exception {
    String ts = post(botA, "x");
    assertThat(api(botA).starsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("not_allowed_token_type");
    assertThat(api(botA).starsRemove(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("not_allowed_token_type");
    assertThat(api(botA).starsList(q -> q).getError()).isEqualTo("not_allowed_token_type");
    assertThat(api(appToken).starsAdd(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("not_allowed_token_type");
  }

  @Test
  void isStarred_onlyForTheUserWhoStarred() throws Exception {
    String ts = post(botA, "private star");
    api(alice).starsAdd(q -> q.channel(ops).timestamp(ts));
    Message forAlice =
        api(alice)
            .conversationsHistory(q -> q.channel(ops).latest(ts).inclusive(true).limit(1))
            .getMessages()
            .get(0);
    Message forBot =
        api(botA)
            .conversationsHistory(q -> q.channel(ops).latest(ts).inclusive(true).limit(1))
            .getMessages()
            .get(0);
    assertThat(forAlice.isStarred()).isTrue();
    assertThat(forBot.isStarred()).isFalse();
  }

  @Test
  void remove_thenAgain_isNotStarred() throws Exception {
    String ts = post(botA, "x");
    api(alice).starsAdd(q -> q.channel(ops).timestamp(ts));
    assertThat(api(alice).starsRemove(q -> q.channel(ops).timestamp(ts)).isOk()).isTrue();
    assertThat(api(alice).starsRemove(q -> q.channel(ops).timestamp(ts)).getError())
        .isEqualTo("not_starred");
  }

  @Test
  void list_showsTheCallersStars() throws Exception {
    String first = post(botA, "one");
    String second = post(botA, "two");
    api(alice).starsAdd(q -> q.channel(ops).timestamp(first));
    api(alice).starsAdd(q -> q.channel(ops).timestamp(second));
    StarsListResponse r = api(alice).starsList(q -> q.limit(1000));
    assertThat(r.getError()).isNull();
    List<String> starred = r.getItems().stream().map(i -> i.getMessage().getTs()).toList();
    assertThat(starred).containsSubsequence(second, first);
    assertThat(r.getItems())
        .allSatisfy(
            i -> {
              assertThat(i.getType()).isEqualTo("message");
              assertThat(i.getChannel()).isEqualTo(ops);
            });
    StarsListResponse page = api(alice).starsList(q -> q.limit(1));
    assertThat(page.getItems()).hasSize(1);
    assertThat(page.getPaging().getTotal()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void badInput_givesSlackErrors() throws Exception {
    assertThat(api(alice).starsAdd(q -> q.channel(ops)).getError()).isEqualTo("no_item_specified");
    assertThat(api(alice).starsAdd(q -> q.channel(ops).timestamp("x")).getError())
        .isEqualTo("bad_timestamp");
    assertThat(api(alice).starsAdd(q -> q.channel(ops).timestamp("1.000001")).getError())
        .isEqualTo("message_not_found");
    assertThat(api(alice).starsAdd(q -> q.channel("C0NOTHERE00").timestamp("1.000001")).getError())
        .isEqualTo("channel_not_found");
  }
}
