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
import java.util.List;

/**
 * Turns a {@link WorkspaceSpec} (or one admin-API request) into committed mutations. Each operation
 * runs under the workspace lock, so its checks and its mutations are one step, and {@link Ids} is
 * only called with that lock held (lock order: workspace, then ids).
 */
final class Provisioner {
  /** A name that is already used where names must be unique (the admin API answers 409). */
  static final class NameTaken extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NameTaken(String message) {
      super(message);
    }
  }

  /** An id or name that names nothing (the admin API answers 404). */
  static final class NotFound extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }

  private final Workspace workspace;
  private final Ids ids;

  Provisioner(Workspace workspace, Ids ids) {
    this.workspace = workspace;
    this.ids = ids;
  }

  void provision(WorkspaceSpec spec) {
    workspace.locked(
        () -> {
          for (TeamSpec team : spec.teams()) {
            String teamId = createTeam(team.name(), team.domain());
            team.apps().forEach(app -> createApp(teamId, app));
            team.users().forEach(user -> createUser(teamId, user));
            team.channels().forEach(ch -> createChannel(teamId, ch));
          }
        });
  }

  String createTeam(String name, String domain) {
    return workspace.locked(
        () -> {
          for (Team t : workspace.teams()) {
            if (t.name.equals(name)) {
              throw new NameTaken("a team named '" + name + "' already exists (" + t.id + ")");
            }
          }
          String id = ids.id('T');
          workspace.commit(new TeamCreated(id, name, domain));
          return id;
        });
  }

  AppCreated createApp(String teamId, AppSpec spec) {
    return workspace.locked(
        () -> {
          requireFreeMemberName(teamId, spec.name());
          String appId = ids.id('A');
          String botUserId = ids.id('U');
          String botId = ids.id('B');
          workspace.commit(
              new UserCreated(
                  botUserId,
                  teamId,
                  spec.name(),
                  spec.name(),
                  true,
                  botId,
                  appId,
                  null,
                  List.of()));
          AppCreated created =
              new AppCreated(
                  appId,
                  teamId,
                  spec.name(),
                  botUserId,
                  botId,
                  ids.token("xoxb"),
                  ids.token("xapp-1"),
                  ids.secret(32),
                  spec.scopes() == null ? WorkspaceSpec.DEFAULT_BOT_SCOPES : spec.scopes(),
                  spec.events() == null ? WorkspaceSpec.DEFAULT_EVENTS : spec.events(),
                  spec.requestUrl(),
                  spec.nonMarketplace2025());
          workspace.commit(created);
          return created;
        });
  }

  UserCreated createUser(String teamId, UserSpec spec) {
    return workspace.locked(
        () -> {
          requireFreeMemberName(teamId, spec.name());
          UserCreated created =
              new UserCreated(
                  ids.id('U'),
                  teamId,
                  spec.name(),
                  spec.name(),
                  false,
                  null,
                  null,
                  ids.token("xoxp"),
                  spec.scopes() == null ? WorkspaceSpec.DEFAULT_USER_SCOPES : spec.scopes());
          workspace.commit(created);
          return created;
        });
  }

  /**
   * Creates a channel whose members are named by user/app name or user id; the first creates it.
   */
  String createChannel(String teamId, ChannelSpec spec) {
    return workspace.locked(
        () -> {
          for (Channel c : workspace.channels()) {
            if (c.team.id.equals(teamId) && c.name.equals(spec.name())) {
              throw new NameTaken("channel #" + spec.name() + " already exists (" + c.id + ")");
            }
          }
          List<String> memberIds = spec.members().stream().map(m -> member(teamId, m).id).toList();
          String id = ids.id('C');
          String creator = memberIds.isEmpty() ? null : memberIds.get(0);
          workspace.commit(
              new ChannelCreated(
                  id, teamId, spec.name(), spec.isPrivate(), creator, workspace.nowSeconds()));
          memberIds.forEach(member -> workspace.commit(new MemberJoined(id, member)));
          return id;
        });
  }

  /** Adds a member (by name or user id) to a channel; a no-op if it already is one. */
  String join(String channelId, String member) {
    return workspace.locked(
        () -> {
          Channel ch = workspace.channel(channelId);
          if (ch == null) {
            throw new NotFound("no channel with id " + channelId);
          }
          User user = member(ch.team.id, member);
          if (!ch.isMember(user.id)) {
            workspace.commit(new MemberJoined(ch.id, user.id));
          }
          return user.id;
        });
  }

  /** A team by id or name; {@code null} means the first team. */
  Team team(String idOrName) {
    return workspace.locked(
        () -> {
          for (Team t : workspace.teams()) {
            if (idOrName == null || t.id.equals(idOrName) || t.name.equals(idOrName)) {
              return t;
            }
          }
          throw new NotFound(
              idOrName == null ? "there is no team" : "no team with id or name '" + idOrName + "'");
        });
  }

  private User member(String teamId, String nameOrId) {
    User byId = workspace.user(nameOrId);
    if (byId != null && byId.team.id.equals(teamId)) {
      return byId;
    }
    for (User u : workspace.users()) {
      if (u.team.id.equals(teamId) && u.name.equals(nameOrId)) {
        return u;
      }
    }
    throw new NotFound("no app or user '" + nameOrId + "' in team " + teamId);
  }

  private void requireFreeMemberName(String teamId, String name) {
    for (User u : workspace.users()) {
      if (u.team.id.equals(teamId) && u.name.equals(name)) {
        throw new NameTaken(
            "team "
                + teamId
                + " already has "
                + (u.isBot ? "an app" : "a user")
                + " named '"
                + name
                + "' ("
                + u.id
                + ")");
      }
    }
  }
}
