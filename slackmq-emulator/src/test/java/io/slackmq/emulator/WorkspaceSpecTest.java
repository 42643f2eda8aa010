package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.methods.response.auth.AuthTestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceSpecTest {
  static final String EXAMPLE =
      """
      {
        "teams": [{
          "name": "Acme Ops",
          "apps": [
            {"name": "deployer", "scopes": ["chat:write", "pins:write"], "nonMarketplace2025": true},
            {"name": "watcher", "events": ["message.channels"], "requestUrl": "http://localhost:3000/slack/events"}
          ],
          "users": [{"name": "bob"}],
          "channels": [
            {"name": "deploys", "members": ["bob", "deployer", "watcher"]},
            {"name": "secret-ops", "private": true, "members": ["deployer"]}
          ]
        }]
      }
      """;

  @TempDir Path dir;

  @Test
  void config_example_isProvisionedWithTokensAndChannels() throws Exception {
    Path file = write(EXAMPLE);
    try (Emulator slack = Emulator.builder().noRateLimits().config(file).start()) {
      Map<String, String> env = slack.env();
      assertThat(env)
          .containsKeys(
              "SLACK_BOT_TOKEN_DEPLOYER",
              "SLACK_APP_TOKEN_WATCHER",
              "SLACK_SIGNING_SECRET_WATCHER",
              "SLACK_USER_TOKEN_BOB",
              "SLACK_CHANNEL_DEPLOYS",
              "SLACK_CHANNEL_SECRET_OPS");
      assertThat(env.get("SLACK_CHANNEL")).isEqualTo(env.get("SLACK_CHANNEL_DEPLOYS"));
      AuthTestResponse r =
          SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN_DEPLOYER")).authTest(q -> q);
      assertThat(r.getTeam()).isEqualTo("Acme Ops");
      assertThat(r.getUrl()).isEqualTo("https://acme-ops.slack.com/");

      AdminClient.Reply ws = new AdminClient(slack).get("workspace");
      assertThat(ws.json().at("/apps/0/scopes").toString())
          .isEqualTo("[\"chat:write\",\"pins:write\"]");
      assertThat(ws.json().at("/apps/0/non_marketplace_2025").asBoolean()).isTrue();
      assertThat(ws.json().at("/apps/1/request_url").asText())
          .isEqualTo("http://localhost:3000/slack/events");
      assertThat(ws.json().at("/channels/1/is_private").asBoolean()).isTrue();
      assertThat(ws.json().at("/channels/1/members")).hasSize(1);
    }
  }

  @Test
  void read_unknownMember_namesFileChannelAndMember() throws Exception {
    Path file =
        write(
            """
        {"teams":[{"name":"t","users":[{"name":"bob"}],
          "channels":[{"name":"ops","members":["bob","carol"]}]}]}""");
    assertThatThrownBy(() -> WorkspaceSpec.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("channel #ops")
        .hasMessageContaining("unknown member 'carol'");
  }

  @Test
  void read_duplicateNames_areRefused() throws Exception {
    Path sameUser =
        write(
            """
        {"teams":[{"name":"t","apps":[{"name":"bob"}],"users":[{"name":"bob"}]}]}""");
    assertThatThrownBy(() -> WorkspaceSpec.read(sameUser))
        .hasMessageContaining(sameUser.toString())
        .hasMessageContaining("duplicate app or user name in team t 'bob'");
    Path sameChannel =
        write(
            """
        {"teams":[{"name":"t","channels":[{"name":"ops"},{"name":"ops"}]}]}""");
    assertThatThrownBy(() -> WorkspaceSpec.read(sameChannel))
        .hasMessageContaining("duplicate channel name in team t 'ops'");
  }

  @Test
  void read_badJson_saysWhereAndWhat() throws Exception {
    Path file = write("{\"teams\": [ {\"name\": \"t\", } ]}");
    assertThatThrownBy(() -> WorkspaceSpec.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config file " + file + ": ")
        .hasMessageContaining("line 1");
  }

  @Test
  void read_unknownField_listsTheKnownOnes() throws Exception {
    Path file = write("{\"teams\":[{\"name\":\"t\",\"chanels\":[]}]}");
    assertThatThrownBy(() -> WorkspaceSpec.read(file))
        .hasMessageContaining("unknown field 'chanels'")
        .hasMessageContaining("channels");
  }

  @Test
  void read_badChannelNameOrNoTeams_isRefused() throws Exception {
    assertThatThrownBy(
            () ->
                WorkspaceSpec.read(
                    write("{\"teams\":[{\"name\":\"t\",\"channels\":[{\"name\":\"Big Room\"}]}]}")))
        .hasMessageContaining("channel name 'Big Room'");
    assertThatThrownBy(() -> WorkspaceSpec.read(write("{\"teams\":[]}")))
        .hasMessageContaining("at least one team");
    assertThatThrownBy(() -> WorkspaceSpec.read(write(""))).hasMessageContaining("config file");
    assertThatThrownBy(() -> WorkspaceSpec.read(dir.resolve("missing.json")))
        .hasMessageContaining("missing.json does not exist");
  }

  @Test
  void builderConfig_badFile_failsBeforeStart() {
    assertThatThrownBy(() -> Emulator.builder().config(dir.resolve("nope.json")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Path write(String json) throws Exception {
    Path file = Files.createTempFile(dir, "workspace", ".json");
    Files.writeString(file, json);
    return file;
  }
}
