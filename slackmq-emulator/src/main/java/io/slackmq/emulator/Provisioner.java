package io.slackmq.emulator;

import io.slackmq.emulator.Mutation.AppCreated;
import io.slackmq.emulator.Mutation.ChannelCreated;
import io.slackmq.emulator.Mutation.MemberJoined;
import io.slackmq.emulator.Mutation.TeamCreated;
import io.slackmq.emulator.Mutation.UserCreated;
import io.slackmq.emulator.WorkspaceSpec.AppSpec;
import io.slackmq.emulator.WorkspaceSpec.ChannelSpec;
import io.slackmq.emulator.WorkspaceSpec.TeamSpec;
import io.slackmq.emulator.WorkspaceSpec.UserSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns a {@link WorkspaceSpec} (or one admin-API request) into committed mutations. */
final class Provisioner {
  private final Workspace workspace;
  private final Ids ids;

  Provisioner(Workspace workspace, Ids ids) {
    this.workspace = workspace;
    this.ids = ids;
  }

  void provision(WorkspaceSpec spec) {
    for (TeamSpec team : spec.teams()) {
      String teamId = createTeam(team.name(), team.domain());
      Map<String, String> userIdsByName = new HashMap<>();
      for (AppSpec app : team.apps()) {
        AppCreated created = createApp(teamId, app);
        userIdsByName.put(app.name(), created.botUserId());
      }
      for (UserSpec user : team.users()) {
        userIdsByName.put(user.name(), createUser(teamId, user).id());
      }
      for (ChannelSpec channel : team.channels()) {
        List<String> members = channel.members().stream()
            .map(name -> Objects.requireNonNull(userIdsByName.get(name),
                () -> "channel " + channel.name() + " names unknown member " + name))
            .toList();
        createChannel(teamId, channel.name(), channel.isPrivate(), members);
      }
    }
  }

  String createTeam(String name, String domain) {
    String id = ids.id('T');
    workspace.commit(new TeamCreated(id, name, domain));
    return id;
  }

  AppCreated createApp(String teamId, AppSpec spec) {
    String appId = ids.id('A');
    String botUserId = ids.id('U');
    String botId = ids.id('B');
    workspace.commit(new UserCreated(botUserId, teamId, spec.name(), spec.name(), true, botId, appId,
        null, List.of()));
    AppCreated created = new AppCreated(appId, teamId, spec.name(), botUserId, botId,
        ids.token("xoxb"), ids.token("xapp-1"), ids.secret(32),
        spec.scopes() == null ? WorkspaceSpec.DEFAULT_BOT_SCOPES : spec.scopes(),
        spec.events() == null ? WorkspaceSpec.DEFAULT_EVENTS : spec.events(),
        spec.requestUrl(), spec.nonMarketplace2025());
    workspace.commit(created);
    return created;
  }

  UserCreated createUser(String teamId, UserSpec spec) {
    UserCreated created = new UserCreated(ids.id('U'), teamId, spec.name(), spec.name(), false, null,
        null, ids.token("xoxp"), spec.scopes() == null ? WorkspaceSpec.DEFAULT_USER_SCOPES : spec.scopes());
    workspace.commit(created);
    return created;
  }

  String createChannel(String teamId, String name, boolean isPrivate, List<String> memberIds) {
    String id = ids.id('C');
    String creator = memberIds.isEmpty() ? null : memberIds.get(0);
    workspace.commit(new ChannelCreated(id, teamId, name, isPrivate, creator,
        workspace.clock().wallMicros() / 1_000_000L));
    for (String member : memberIds) {
      workspace.commit(new MemberJoined(id, member));
    }
    return id;
  }
}
