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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The whole state of the local Slack.
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

  static final class Team {
    final String id;
    final String name;
    final String domain;

    /** This team's apps by id, so a message can name the app that posted it (bot_profile). */
    final Map<String, App> apps = new LinkedHashMap<>();

    Team(String id, String name, String domain) {
      this.id = id;
      this.name = name;
      this.domain = domain;
    }
  }

  static final class User {
    final String id;
    final Team team;
    final String name;
    final String realName;
    final boolean isBot;
    final String botId;
    final String appId;

    User(
        String id,
        Team team,
        String name,
        String realName,
        boolean isBot,
        String botId,
        String appId) {
      this.id = id;
      this.team = team;
      this.name = name;
      this.realName = realName;
      this.isBot = isBot;
      this.botId = botId;
      this.appId = appId;
    }
  }

  static final class App {
    final String id;
    final Team team;
    final String name;
    final User botUser;
    final String botId;
    final String botToken;
    final String appToken;
    final String signingSecret;
    volatile List<String> botScopes;
    volatile List<String> events;
    volatile String requestUrl;
    volatile boolean nonMarketplace2025;

    App(AppCreated c, Team team, User botUser) {
      this.id = c.id();
      this.team = team;
      this.name = c.name();
      this.botUser = botUser;
      this.botId = c.botId();
      this.botToken = c.botToken();
      this.appToken = c.appToken();
      this.signingSecret = c.signingSecret();
      this.botScopes = List.copyOf(c.botScopes());
      this.events = List.copyOf(c.events());
      this.requestUrl = c.requestUrl();
      this.nonMarketplace2025 = c.nonMarketplace2025();
    }

    @Override
    public String toString() {
      return "App[" + id + " " + name + "]"; // never the tokens or the secret
    }
  }

  record Pin(String user, long created) {}

  static final class Message {
    final long ts;
    final String user;
    final String botId;
    final String appId;
    String text;
    final Long threadTs;
    final boolean replyBroadcast;
    final String subtype;
    String editedBy;
    long editedTs;

    /** Emoji name to the users who added it, in order of addition. */
    final Map<String, LinkedHashSet<String>> reactions = new LinkedHashMap<>();

    final Set<String> starredBy = new LinkedHashSet<>();
    final TreeSet<Long> replies = new TreeSet<>();
    Pin pin;

    Message(MessagePosted p) {
      this.ts = p.ts();
      this.user = p.user();
      this.botId = p.botId();
      this.appId = p.appId();
      this.text = p.text();
      this.threadTs = p.threadTs();
      this.replyBroadcast = p.replyBroadcast();
      this.subtype = p.subtype();
    }

    boolean isReply() {
      return threadTs != null && threadTs != ts;
    }
  }

  static final class Channel {
    final String id;
    final Team team;
    final String name;
    final boolean isPrivate;
    final String creator;
    final long created;
    final Set<String> members = new LinkedHashSet<>();
    final TreeMap<Long, Message> messages = new TreeMap<>();
    long lastTs;

    Channel(ChannelCreated c, Team team) {
      this.id = c.id();
      this.team = team;
      this.name = c.name();
      this.isPrivate = c.isPrivate();
      this.creator = c.creator();
      this.created = c.created();
    }

    int pinCount() {
      int n = 0;
      for (Message m : messages.values()) {
        if (m.pin != null) {
          n++;
        }
      }
      return n;
    }
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

  final Map<String, Team> teams = new LinkedHashMap<>();
  final Map<String, User> users = new LinkedHashMap<>();
  final Map<String, App> apps = new LinkedHashMap<>();
  final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Map<String, Principal> tokens = new LinkedHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final EmulatorClock clock;
  private Journal journal = Journal.NONE;
  private volatile RaceGate raceGate = () -> -1; // atomic until Emulator sets the fault's gate

  /** Caps and choices Slack does not publish; the emulator's builder may replace them. */
  volatile Limits limits = Limits.DEFAULT;

  Workspace(EmulatorClock clock) {
    this.clock = clock;
  }

  EmulatorClock clock() {
    return clock;
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

  /** A new ts for a channel: unique and strictly increasing, close to the wall clock. */
  synchronized long nextTs(Channel channel) {
    long ts = Math.max(clock.wallMicros(), channel.lastTs + 1);
    channel.lastTs = ts;
    return ts;
  }

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
      team.apps.put(c.id(), app);
      tokens.put(
          c.botToken(), new Principal(c.botToken(), TokenKind.BOT, team, bot, app, app.botScopes));
      tokens.put(
          c.appToken(),
          new Principal(c.appToken(), TokenKind.APP, team, bot, app, List.of("connections:write")));
    } else if (m instanceof AppUpdated c) {
      App app = apps.get(c.id());
      app.requestUrl = c.requestUrl();
      app.events = List.copyOf(c.events());
      app.botScopes = List.copyOf(c.botScopes());
      app.nonMarketplace2025 = c.nonMarketplace2025();
      tokens.put(
          app.botToken,
          new Principal(app.botToken, TokenKind.BOT, app.team, app.botUser, app, app.botScopes));
    } else if (m instanceof ChannelCreated c) {
      channels.put(c.id(), new Channel(c, teams.get(c.teamId())));
    } else if (m instanceof MemberJoined c) {
      channels.get(c.channel()).members.add(c.user());
    } else if (m instanceof MessagePosted c) {
      Channel ch = channels.get(c.channel());
      ch.lastTs = Math.max(ch.lastTs, c.ts());
      Message msg = new Message(c);
      ch.messages.put(c.ts(), msg);
      if (msg.isReply()) {
        Message parent = ch.messages.get(c.threadTs());
        if (parent != null) {
          parent.replies.add(c.ts());
        }
      }
    } else if (m instanceof MessageUpdated c) {
      Message msg = channels.get(c.channel()).messages.get(c.ts());
      msg.text = c.text();
      msg.editedBy = c.editedBy();
      msg.editedTs = c.editedTs();
      Channel ch = channels.get(c.channel());
      ch.lastTs = Math.max(ch.lastTs, c.editedTs());
    } else if (m instanceof MessageDeleted c) {
      Channel ch = channels.get(c.channel());
      Message msg = ch.messages.remove(c.ts());
      ch.lastTs = Math.max(ch.lastTs, c.deletedAtTs());
      if (msg != null && msg.isReply()) {
        Message parent = ch.messages.get(msg.threadTs);
        if (parent != null) {
          parent.replies.remove(c.ts());
        }
      }
    } else if (m instanceof PinAdded c) {
      message(c.channel(), c.ts()).pin = new Pin(c.user(), c.created());
    } else if (m instanceof PinRemoved c) {
      message(c.channel(), c.ts()).pin = null;
    } else if (m instanceof ReactionAdded c) {
      message(c.channel(), c.ts())
          .reactions
          .computeIfAbsent(c.name(), k -> new LinkedHashSet<>())
          .add(c.user());
    } else if (m instanceof ReactionRemoved c) {
      Map<String, LinkedHashSet<String>> reactions = message(c.channel(), c.ts()).reactions;
      LinkedHashSet<String> users = reactions.get(c.name());
      if (users != null) {
        users.remove(c.user());
        if (users.isEmpty()) {
          reactions.remove(c.name());
        }
      }
    } else if (m instanceof StarAdded c) {
      message(c.channel(), c.ts()).starredBy.add(c.user());
    } else if (m instanceof StarRemoved c) {
      message(c.channel(), c.ts()).starredBy.remove(c.user());
    } else if (m instanceof ContentReset) {
      for (Channel ch : channels.values()) {
        ch.messages.clear();
      }
    } else {
      throw new IllegalStateException("unknown mutation " + m);
    }
  }

  private Message message(String channel, long ts) {
    return channels.get(channel).messages.get(ts);
  }

  /** A snapshot of the channel list, for callers outside the lock. */
  synchronized List<Channel> channelList() {
    return new ArrayList<>(channels.values());
  }
}
