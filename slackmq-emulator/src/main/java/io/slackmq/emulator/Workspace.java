package io.slackmq.emulator;

import io.slackmq.emulator.Mutation.AppCreated;
import io.slackmq.emulator.Mutation.AppUpdated;
import io.slackmq.emulator.Mutation.ChannelCreated;
import io.slackmq.emulator.Mutation.ContentReset;
import io.slackmq.emulator.Mutation.MemberJoined;
import io.slackmq.emulator.Mutation.MessageDeleted;
import io.slackmq.emulator.Mutation.MessagePosted;
import io.slackmq.emulator.Mutation.MessageUpdated;
import io.slackmq.emulator.Mutation.PinAdded;
import io.slackmq.emulator.Mutation.PinRemoved;
import io.slackmq.emulator.Mutation.ReactionAdded;
import io.slackmq.emulator.Mutation.ReactionRemoved;
import io.slackmq.emulator.Mutation.StarAdded;
import io.slackmq.emulator.Mutation.StarRemoved;
import io.slackmq.emulator.Mutation.TeamCreated;
import io.slackmq.emulator.Mutation.UserCreated;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The whole state of the local Slack: {@link Team}s, {@link User}s, {@link App}s, {@link Channel}s
 * and their {@link Message}s, read through this class's queries ({@link #channel}, {@link
 * #message}, ...) and the entities' read-only accessors, and changed only by committing a {@link
 * Mutation}: its apply step is the one caller of the entities' mutators, so the journal (which
 * records mutations) can always rebuild the state.
 *
 * <p>Concurrency: one monitor guards everything. Handlers read and validate under {@link #locked},
 * then {@link #commit} a {@link Mutation}; so every Web API call is linearizable, which is what
 * makes {@code already_pinned} and {@code already_reacted} atomic (unless the race-window fault
 * deliberately breaks that). Operations are microseconds long; the HTTP layer dominates.
 */
final class Workspace {
  /** Called under the workspace lock after each applied mutation: must only enqueue. */
  interface Listener {
    void applied(Mutation mutation);
  }

  /** Who a token belongs to. {@code app} is null for a human's user token. */
  record Principal(
      String token, TokenKind kind, Team team, User user, App app, List<String> scopes) {
    @Override
    public String toString() {
      return "Principal[" + kind + " " + user.id + "]"; // never the token
    }
  }

  enum TokenKind {
    BOT,
    USER,
    APP
  }

  private final Map<String, Team> teams = new LinkedHashMap<>();
  private final Map<String, User> users = new LinkedHashMap<>();
  private final Map<String, App> apps = new LinkedHashMap<>();
  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Map<String, Principal> tokens = new LinkedHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final EmulatorClock clock;
  private Journal journal = Journal.NONE;
  private volatile RaceGate raceGate = () -> -1; // atomic until Emulator sets the fault's gate
  private volatile Consistency consistency = Consistency.LINEARIZABLE;

  /** Caps and choices Slack does not publish; the emulator's builder may replace them. */
  private volatile Limits limits = Limits.DEFAULT;

  Workspace(EmulatorClock clock) {
    this.clock = clock;
  }

  EmulatorClock clock() {
    return clock;
  }

  /** The wall clock in whole seconds, as Slack's {@code created} and {@code cache_ts} show it. */
  long nowSeconds() {
    return clock.wallMicros() / 1_000_000L;
  }

  Limits limits() {
    return limits;
  }

  /** Configuration, not state: no mutation, and it takes effect for the next call. */
  void limits(Limits limits) {
    this.limits = limits;
  }

  // Queries: call them under the lock (locked, commit). A lookup by id answers null for an unknown
  // id; collections are live, read-only views.

  Team team(String id) {
    return teams.get(id);
  }

  /** Teams in creation order. */
  Collection<Team> teams() {
    return Collections.unmodifiableCollection(teams.values());
  }

  User user(String id) {
    return users.get(id);
  }

  /** Humans and bot users, in creation order. */
  Collection<User> users() {
    return Collections.unmodifiableCollection(users.values());
  }

  App app(String id) {
    return apps.get(id);
  }

  /** Every team's apps, in creation order. */
  Collection<App> apps() {
    return Collections.unmodifiableCollection(apps.values());
  }

  Channel channel(String id) {
    return channels.get(id);
  }

  /** Every team's channels, in creation order. */
  Collection<Channel> channels() {
    return Collections.unmodifiableCollection(channels.values());
  }

  /** The message at {@code ts} in the channel with that id; null if either does not exist. */
  Message message(String channelId, long ts) {
    Channel ch = channels.get(channelId);
    return ch == null ? null : ch.message(ts);
  }

  void addListener(Listener listener) {
    listeners.add(listener);
  }

  void journal(Journal journal) {
    this.journal = journal;
  }

  synchronized <T> T locked(Supplier<T> action) {
    return action.get();
  }

  synchronized void locked(Runnable action) {
    action.run();
  }

  /** Makes a mutation durable (when a data dir is set), applies it and tells the listeners. */
  synchronized void commit(Mutation mutation) {
    journal.append(mutation);
    apply(mutation);
    for (Listener l : listeners) {
      l.applied(mutation);
    }
  }

  void consistency(Consistency c) {
    this.consistency = c;
  }

  /** Whether {@code reader} (a user id) can see {@code m} yet (read lag). */
  boolean visibleTo(String reader, Channel ch, Message m) {
    return consistency.visible(reader, ch.id, m, clock.wallMicros());
  }

  /** Whether a post to {@code ch} is stored, lost or stored twice. */
  Consistency.Fate postFate(Channel ch) {
    return consistency.fate(ch.id, clock.wallMicros());
  }

  /**
   * An exclusive check-then-commit (pins.add, reactions.add, stars.add): {@code check} runs under
   * the lock and throws a {@link SlackError} or returns the mutation to commit (null: none). Atomic
   * unless the race-window fault is open. The one place exclusive commits happen.
   */
  void commitExclusive(Supplier<Mutation> check) {
    commitExclusive(check, raceGate);
  }

  /** As above; while {@code gate} is open the commit follows its delay with no second check. */
  void commitExclusive(Supplier<Mutation> check, RaceGate gate) {
    long delay = gate.raceDelayMillis();
    if (delay < 0) {
      locked(
          () -> {
            Mutation m = check.get();
            if (m != null) {
              commit(m);
            }
          });
      return;
    }
    Mutation m = locked(check);
    if (m != null) {
      RaceGate.pause(delay); // a concurrent caller now passes the same check
      commit(m);
    }
  }

  void raceGate(RaceGate gate) {
    this.raceGate = gate;
  }

  /** Replays a journaled mutation: applied, but no events are sent for it. */
  synchronized void replay(Mutation mutation) {
    apply(mutation);
  }

  /** The user tokens of a human (one per user in this emulator). */
  synchronized List<String> principalsOf(User user) {
    List<String> out = new ArrayList<>();
    tokens
        .values()
        .forEach(
            p -> {
              if (p.kind() == TokenKind.USER && p.user() == user) {
                out.add(p.token());
              }
            });
    return out;
  }

  /** Whether an id (team, user, bot, app, channel) or a token is already in use. */
  synchronized boolean taken(String idOrToken) {
    if (teams.containsKey(idOrToken)
        || users.containsKey(idOrToken)
        || apps.containsKey(idOrToken)
        || channels.containsKey(idOrToken)
        || tokens.containsKey(idOrToken)) {
      return true;
    }
    for (User u : users.values()) {
      if (idOrToken.equals(u.botId)) {
        return true;
      }
    }
    return false;
  }

  synchronized Principal principal(String token) {
    return token == null ? null : tokens.get(token);
  }

  /**
   * A new ts for a channel: unique and strictly increasing, close to the wall clock. Not a
   * mutation: the ts is journaled by the mutation that uses it, and a replay raises the channel's
   * last ts from those, so an allocated but unused ts needs no record.
   */
  synchronized long nextTs(Channel channel) {
    long ts = Math.max(clock.wallMicros(), channel.lastTs() + 1);
    channel.observeTs(ts);
    return ts;
  }

  /** The one place that changes state (through the entities' mutators). */
  private void apply(Mutation m) {
    if (m instanceof TeamCreated c) {
      teams.put(c.id(), new Team(c.id(), c.name(), c.domain()));
    } else if (m instanceof UserCreated c) {
      Team team = teams.get(c.teamId());
      User user = new User(c.id(), team, c.name(), c.realName(), c.isBot(), c.botId(), c.appId());
      users.put(c.id(), user);
      if (c.token() != null) {
        tokens.put(
            c.token(),
            new Principal(c.token(), TokenKind.USER, team, user, null, List.copyOf(c.scopes())));
      }
    } else if (m instanceof AppCreated c) {
      Team team = teams.get(c.teamId());
      User bot = users.get(c.botUserId());
      App app = new App(c, team, bot);
      apps.put(c.id(), app);
      team.addApp(app);
      tokens.put(
          c.botToken(),
          new Principal(c.botToken(), TokenKind.BOT, team, bot, app, app.botScopes()));
      tokens.put(
          c.appToken(),
          new Principal(c.appToken(), TokenKind.APP, team, bot, app, List.of("connections:write")));
    } else if (m instanceof AppUpdated c) {
      App app = apps.get(c.id());
      app.update(c);
      tokens.put(
          app.botToken,
          new Principal(app.botToken, TokenKind.BOT, app.team, app.botUser, app, app.botScopes()));
    } else if (m instanceof ChannelCreated c) {
      channels.put(c.id(), new Channel(c, teams.get(c.teamId())));
    } else if (m instanceof MemberJoined c) {
      known(c.channel()).addMember(c.user());
    } else if (m instanceof MessagePosted c) {
      Channel ch = known(c.channel());
      ch.observeTs(c.ts());
      Message msg = new Message(c);
      ch.addMessage(msg);
      if (msg.isReply()) {
        Message parent = ch.message(c.threadTs());
        if (parent != null) {
          parent.addReply(c.ts());
        }
      }
    } else if (m instanceof MessageUpdated c) {
      Channel ch = known(c.channel());
      ch.message(c.ts()).edit(c.text(), c.editedBy(), c.editedTs());
      ch.observeTs(c.editedTs());
    } else if (m instanceof MessageDeleted c) {
      Channel ch = known(c.channel());
      Message msg = ch.removeMessage(c.ts());
      ch.observeTs(c.deletedAtTs());
      if (msg != null && msg.isReply()) {
        Message parent = ch.message(msg.threadTs);
        if (parent != null) {
          parent.removeReply(c.ts());
        }
      }
    } else if (m instanceof Mutation.MetadataSet c) {
      existing(c.channel(), c.ts()).setMetadata(c.metadata());
    } else if (m instanceof PinAdded c) {
      existing(c.channel(), c.ts()).addPin(c.user(), c.created());
    } else if (m instanceof PinRemoved c) {
      existing(c.channel(), c.ts()).removePin();
    } else if (m instanceof ReactionAdded c) {
      existing(c.channel(), c.ts()).addReaction(c.name(), c.user());
    } else if (m instanceof ReactionRemoved c) {
      existing(c.channel(), c.ts()).removeReaction(c.name(), c.user());
    } else if (m instanceof StarAdded c) {
      existing(c.channel(), c.ts()).addStar(c.user());
    } else if (m instanceof StarRemoved c) {
      existing(c.channel(), c.ts()).removeStar(c.user());
    } else if (m instanceof ContentReset) {
      for (Channel ch : channels.values()) {
        ch.clearMessages();
      }
    } else {
      throw new IllegalStateException("unknown mutation " + m);
    }
  }

  /** A message a mutation names; handlers checked that it exists before committing. */
  private Message existing(String channelId, long ts) {
    Message m = known(channelId).message(ts);
    if (m == null) {
      throw new IllegalStateException("no message " + Ts.format(ts) + " in channel " + channelId);
    }
    return m;
  }

  /**
   * The channel a mutation names. A live handler checked it; a journal line written by hand or by
   * another version may name one that does not exist, and must say so (not NPE).
   */
  private Channel known(String channelId) {
    Channel ch = channels.get(channelId);
    if (ch == null) {
      throw new IllegalStateException("no channel " + channelId);
    }
    return ch;
  }

  /** A snapshot of the channel list, for callers outside the lock. */
  synchronized List<Channel> channelList() {
    return new ArrayList<>(channels.values());
  }
}
