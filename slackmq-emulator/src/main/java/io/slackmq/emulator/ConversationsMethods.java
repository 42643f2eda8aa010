package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Mutation.ChannelCreated;
import io.slackmq.emulator.Mutation.MemberJoined;
import io.slackmq.emulator.Mutation.MessagePosted;
import io.slackmq.emulator.Workspace.Principal;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * conversations.create, .list, .info, .join, .history, .replies, for public and private channels
 * (the emulator has no DMs).
 */
final class ConversationsMethods {
  /**
   * Slack's defaults and maxima for {@code limit}; the non-Marketplace 2025 profile caps both at
   * 15.
   */
  static final int HISTORY_DEFAULT = 100;

  static final int REPLIES_DEFAULT = 1000;
  static final int PAGE_MAX = 1000;
  static final int NON_MARKETPLACE_MAX = 15;
  static final int MAX_NAME = 80;

  private static final Pattern NAME_CHARS = Pattern.compile("[a-z0-9_-]+");
  private static final Pattern HAS_ALNUM = Pattern.compile(".*[a-z0-9].*");
  private static final Set<String> UNTHREADABLE = Set.of("channel_join", "channel_leave");
  private static final Set<String> TYPES =
      Set.of("public_channel", "private_channel", "mpim", "im");

  private ConversationsMethods() {}

  static void register(Methods methods) {
    methods.add("conversations.create", Tier.TIER_2, ConversationsMethods::create);
    methods.add("conversations.list", Tier.TIER_2, ConversationsMethods::list);
    methods.add("conversations.info", Tier.TIER_3, ConversationsMethods::info);
    methods.add("conversations.join", Tier.TIER_3, ConversationsMethods::join);
    methods.add("conversations.history", Tier.TIER_3, ConversationsMethods::history);
    methods.add("conversations.replies", Tier.TIER_3, ConversationsMethods::replies);
  }

  /** Join and leave notices cannot start a thread ({@code thread_not_found}). */
  static boolean threadable(Message m) {
    return m.subtype == null || !UNTHREADABLE.contains(m.subtype);
  }

  private static ObjectNode create(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    boolean isPrivate = r.flag("is_private");
    r.requireScope(isPrivate ? "groups:write" : "channels:manage");
    String name = r.param("name");
    validateName(name);
    Workspace ws = r.workspace();
    Principal p = r.principal();
    return ws.locked(
        () -> {
          for (Channel ch : ws.channels()) {
            if (ch.team == p.team() && ch.name.equals(name)) {
              throw new SlackError("name_taken");
            }
          }
          String id = newChannelId(ws, p, name);
          ws.commit(
              new ChannelCreated(id, p.team().id, name, isPrivate, p.user().id, ws.nowSeconds()));
          ws.commit(new MemberJoined(id, p.user().id));
          return Json.ok().set("channel", Render.channel(ws.channel(id), p.user().id));
        });
  }

  /** Slack's rules: lowercase letters, digits, hyphens and underscores; at most 80 characters. */
  private static void validateName(String name) {
    if (name == null || name.isBlank()) {
      throw new SlackError("invalid_name_required");
    }
    if (name.length() > MAX_NAME) {
      throw new SlackError("invalid_name_maxlength");
    }
    if (!NAME_CHARS.matcher(name).matches()) {
      throw new SlackError("invalid_name_specials");
    }
    if (!HAS_ALNUM.matcher(name).matches()) {
      throw new SlackError("invalid_name_punctuation");
    }
  }

  /** Derived from the request and the workspace size, so a seeded run creates the same ids. */
  private static String newChannelId(Workspace ws, Principal p, String name) {
    Ids ids = new Ids(Objects.hash(p.team().id, name, ws.channels().size()));
    String id;
    do {
      id = ids.id('C');
    } while (ws.channel(id) != null);
    return id;
  }

  private static ObjectNode list(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    List<String> types = List.of(r.param("types", "public_channel").split(","));
    for (String type : types) {
      if (!TYPES.contains(type.trim())) {
        throw new SlackError("invalid_types");
      }
    }
    boolean pub = types.stream().anyMatch(t -> t.trim().equals("public_channel"));
    boolean priv = types.stream().anyMatch(t -> t.trim().equals("private_channel"));
    if (pub) {
      r.requireScope("channels:read");
    }
    if (priv) {
      r.requireScope("groups:read");
    }
    int limit = Cursors.limit(r, HISTORY_DEFAULT, PAGE_MAX);
    String from = Cursors.decode(r, "channel");
    String me = r.principal().user().id;
    return r.workspace()
        .locked(
            () -> {
              List<Channel> visible = new ArrayList<>();
              for (Channel ch : r.workspace().channels()) {
                if (ch.team == r.principal().team()
                    && (ch.isPrivate ? priv && ch.isMember(me) : pub)) {
                  visible.add(ch);
                }
              }
              int start = 0;
              if (from != null) {
                start = -1;
                for (int i = 0; i < visible.size(); i++) {
                  if (visible.get(i).id.equals(from)) {
                    start = i;
                  }
                }
                if (start < 0) {
                  throw new SlackError("invalid_cursor");
                }
              }
              int end = Math.min(visible.size(), start + limit);
              ObjectNode ok = Json.ok();
              ArrayNode channels = ok.putArray("channels");
              for (Channel ch : visible.subList(start, end)) {
                channels.add(Render.channel(ch, me));
              }
              ok.putObject("response_metadata")
                  .put(
                      "next_cursor",
                      end < visible.size() ? Cursors.encode("channel", visible.get(end).id) : "");
              return ok;
            });
  }

  private static ObjectNode info(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    return r.workspace()
        .locked(
            () -> {
              Channel ch = r.channel();
              r.requireScope(ch.isPrivate ? "groups:read" : "channels:read");
              return Json.ok().set("channel", Render.channel(ch, r.principal().user().id));
            });
  }

  private static ObjectNode join(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("channels:join");
    Workspace ws = r.workspace();
    String me = r.principal().user().id;
    return ws.locked(
        () -> {
          Channel ch = r.channel();
          if (ch.isPrivate) {
            throw new SlackError("method_not_supported_for_channel_type");
          }
          ObjectNode ok = Json.ok();
          if (ch.isMember(me)) {
            ok.put("warning", "already_in_channel");
            ok.putObject("response_metadata").putArray("warnings").add("already_in_channel");
          } else {
            ws.commit(new MemberJoined(ch.id, me));
            // Slack posts a join notice; it cannot be pinned or threaded.
            ws.commit(
                new MessagePosted(
                    ch.id,
                    ws.nextTs(ch),
                    me,
                    null,
                    null,
                    "<@" + me + "> has joined the channel",
                    null,
                    false,
                    "channel_join"));
          }
          return ok.set("channel", Render.channel(ch, me));
        });
  }

  /** The channel to read, checked for the history scope of its type and (for bots) membership. */
  private static Channel readable(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    Channel ch = r.channel();
    r.requireScope(ch.isPrivate ? "groups:history" : "channels:history");
    if (r.principal().kind() == TokenKind.BOT) {
      r.requireMember(ch); // people may read public channels they are not in; bots may not
    }
    return ch;
  }

  /** Slack's default limit, or at most 15 for an app under the 2025 non-Marketplace terms. */
  private static int pageLimit(ApiRequest r, int fallback) {
    Principal p = r.principal();
    boolean nonMarketplace = p.app() != null && p.app().nonMarketplace2025();
    return nonMarketplace
        ? Cursors.limit(r, NON_MARKETPLACE_MAX, NON_MARKETPLACE_MAX)
        : Cursors.limit(r, fallback, PAGE_MAX);
  }

  /**
   * The messages of a channel between {@code oldest} and {@code latest} (bounds included only with
   * {@code inclusive}), and within {@code [floor, ceiling]} (a cursor's bounds, both included).
   */
  private static NavigableMap<Long, Message> range(
      ApiRequest r, Channel ch, long floor, long ceiling) {
    boolean inclusive = r.flag("inclusive");
    long lo = floor;
    long hi = ceiling;
    if (r.param("oldest") != null) {
      long oldest = TimeBounds.parse(r, "oldest", "invalid_ts_oldest");
      // Saturating: oldest + 1 must not wrap around to the start of time.
      lo = Math.max(lo, inclusive || oldest == Long.MAX_VALUE ? oldest : oldest + 1);
    }
    if (r.param("latest") != null) {
      long latest = TimeBounds.parse(r, "latest", "invalid_ts_latest");
      hi = Math.min(hi, inclusive ? latest : latest - 1);
    }
    return lo > hi ? Collections.emptyNavigableMap() : ch.messages().subMap(lo, true, hi, true);
  }

  /**
   * Newest first, top-level messages and thread broadcasts only. Pages backward from {@code
   * latest}; with only {@code oldest} given, the page is the one closest to {@code oldest}.
   */
  private static ObjectNode history(ApiRequest r) {
    String cursor = Cursors.decode(r, "next_ts");
    return r.workspace()
        .locked(
            () -> {
              Channel ch = readable(r);
              int limit = pageLimit(r, HISTORY_DEFAULT);
              boolean forward =
                  cursor != null
                      ? cursor.startsWith("newer:")
                      : r.param("oldest") != null && r.param("latest") == null;
              long after = 0;
              long before = Long.MAX_VALUE;
              if (cursor != null) {
                long at = TimeBounds.cursorTs(cursor);
                if (forward) {
                  after = at + 1;
                } else {
                  before = at - 1;
                }
              }
              NavigableMap<Long, Message> range = range(r, ch, after, before);
              List<Message> page = new ArrayList<>();
              boolean hasMore = false;
              String reader = r.principal().user().id;
              for (Message m : (forward ? range : range.descendingMap()).values()) {
                if ((m.isReply() && !m.replyBroadcast) || !r.workspace().visibleTo(reader, ch, m)) {
                  continue; // thread replies live in replies; a lagging read misses new ones
                }
                if (page.size() == limit) {
                  hasMore = true;
                  break;
                }
                page.add(m);
              }
              if (forward) {
                Collections.reverse(page);
              }
              ObjectNode ok = Json.ok();
              ArrayNode messages = ok.putArray("messages");
              String me = r.principal().user().id;
              boolean all = r.flag("include_all_metadata");
              page.forEach(m -> messages.add(Render.message(ch, m, me, all)));
              ok.put("has_more", hasMore).put("pin_count", ch.pinCount());
              if (r.param("latest") != null) {
                ok.put("latest", r.param("latest"));
              }
              if (hasMore) {
                long edge = forward ? page.get(0).ts : page.get(page.size() - 1).ts;
                ok.putObject("response_metadata")
                    .put(
                        "next_cursor",
                        Cursors.encode("next_ts", (forward ? "newer:" : "older:") + edge));
              }
              return ok;
            });
  }

  /**
   * A thread: the parent first (on every page), then replies oldest first within {@code
   * oldest}/{@code latest}; {@code limit} counts the replies. {@code ts} may name the parent or any
   * reply; a missing, malformed or unknown {@code ts} is {@code thread_not_found}.
   */
  private static ObjectNode replies(ApiRequest r) {
    String cursor = Cursors.decode(r, "next_ts");
    return r.workspace()
        .locked(
            () -> {
              Channel ch = readable(r);
              int limit = pageLimit(r, REPLIES_DEFAULT);
              Message parent = threadParent(r, ch);
              String reader = r.principal().user().id;
              if (!r.workspace().visibleTo(reader, ch, parent)) {
                throw new SlackError("thread_not_found"); // not visible to this reader yet
              }
              long after = cursor == null ? 0 : TimeBounds.cursorTs(cursor) + 1;
              NavigableMap<Long, Message> range = range(r, ch, after, Long.MAX_VALUE);
              List<Message> page = new ArrayList<>();
              boolean hasMore = false;
              for (Long replyTs : parent.replies()) {
                if (!range.containsKey(replyTs)
                    || !r.workspace().visibleTo(reader, ch, range.get(replyTs))) {
                  continue;
                }
                if (page.size() == limit) {
                  hasMore = true;
                  break;
                }
                page.add(range.get(replyTs));
              }
              ObjectNode ok = Json.ok();
              ArrayNode messages = ok.putArray("messages");
              String me = r.principal().user().id;
              boolean all = r.flag("include_all_metadata");
              messages.add(Render.message(ch, parent, me, all));
              page.forEach(m -> messages.add(Render.message(ch, m, me, all)));
              ok.put("has_more", hasMore);
              if (hasMore) {
                ok.putObject("response_metadata")
                    .put(
                        "next_cursor",
                        Cursors.encode("next_ts", "newer:" + page.get(page.size() - 1).ts));
              }
              return ok;
            });
  }

  private static Message threadParent(ApiRequest r, Channel ch) {
    String raw = r.param("ts");
    Message m;
    try {
      m = raw == null ? null : ch.message(Ts.parse(raw));
    } catch (SlackError e) {
      m = null;
    }
    if (m != null && m.isReply()) {
      m = ch.message(m.threadTs);
    }
    if (m == null || !threadable(m)) {
      throw new SlackError("thread_not_found");
    }
    return m;
  }
}
