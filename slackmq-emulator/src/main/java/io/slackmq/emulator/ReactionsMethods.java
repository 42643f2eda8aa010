package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Mutation.ReactionAdded;
import io.slackmq.emulator.Mutation.ReactionRemoved;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * reactions.add, reactions.remove, reactions.get. A reaction is exclusive per (user, emoji,
 * message): the same user gets {@code already_reacted}, another user may add the same emoji.
 */
final class ReactionsMethods {
  /** A name, optionally with a skin tone ({@code thumbsup::skin-tone-6}); at most 100 chars. */
  private static final Pattern NAME = Pattern.compile("([a-z0-9_+'-]{1,100})(::skin-tone-[2-6])?");

  /** Slack stores some standard names under a canonical alias; reacting with either is the same. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "thumbsup", "+1",
          "thumbsdown", "-1",
          "thumbs_up", "+1",
          "thumbs_down", "-1",
          "hand", "raised_hand",
          "knife", "hocho",
          "shit", "hankey",
          "poop", "hankey");

  /** Common standard emoji: the only valid names when {@link Limits#strictEmojiNames()} is set. */
  private static final Set<String> STANDARD =
      Set.of(
          "+1",
          "-1",
          "white_check_mark",
          "heavy_check_mark",
          "ballot_box_with_check",
          "x",
          "negative_squared_cross_mark",
          "lock",
          "unlock",
          "key",
          "eyes",
          "hourglass",
          "hourglass_flowing_sand",
          "stopwatch",
          "timer_clock",
          "alarm_clock",
          "skull",
          "skull_and_crossbones",
          "rocket",
          "tada",
          "fire",
          "warning",
          "no_entry",
          "no_entry_sign",
          "construction",
          "rotating_light",
          "bell",
          "no_bell",
          "star",
          "star2",
          "sparkles",
          "zap",
          "boom",
          "100",
          "heart",
          "broken_heart",
          "smile",
          "slightly_smiling_face",
          "grinning",
          "joy",
          "wink",
          "thinking_face",
          "sob",
          "cry",
          "scream",
          "astonished",
          "pray",
          "clap",
          "wave",
          "ok_hand",
          "raised_hand",
          "point_up",
          "muscle",
          "raised_hands",
          "bulb",
          "memo",
          "pencil",
          "pencil2",
          "pushpin",
          "round_pushpin",
          "paperclip",
          "link",
          "inbox_tray",
          "outbox_tray",
          "package",
          "mailbox",
          "email",
          "envelope",
          "calendar",
          "date",
          "clipboard",
          "bookmark",
          "label",
          "wrench",
          "hammer",
          "hammer_and_wrench",
          "gear",
          "robot_face",
          "computer",
          "desktop_computer",
          "floppy_disk",
          "cd",
          "dvd",
          "battery",
          "electric_plug",
          "satellite",
          "mag",
          "mag_right",
          "question",
          "grey_question",
          "exclamation",
          "heavy_exclamation_mark",
          "bangbang",
          "repeat",
          "arrows_counterclockwise",
          "recycle",
          "arrow_up",
          "arrow_down",
          "arrow_right",
          "arrow_left",
          "leftwards_arrow_with_hook",
          "hocho",
          "hankey",
          "see_no_evil",
          "speech_balloon",
          "thought_balloon",
          "beers",
          "coffee",
          "cake",
          "trophy",
          "medal",
          "first_place_medal",
          "checkered_flag",
          "triangular_flag_on_post",
          "red_circle",
          "large_blue_circle",
          "large_green_circle",
          "white_circle",
          "black_circle",
          "green_heart",
          "blue_heart",
          "yellow_heart",
          "purple_heart",
          "large_orange_diamond",
          "white_medium_square",
          "stop_sign",
          "octagonal_sign",
          "vertical_traffic_light",
          "traffic_light",
          "ghost",
          "zzz",
          "sleeping",
          "new",
          "up",
          "ok",
          "cool",
          "free",
          "sos",
          "one",
          "two",
          "three",
          "four",
          "five",
          "six",
          "seven",
          "eight",
          "nine",
          "keycap_ten",
          "zero",
          "hash",
          "heavy_plus_sign",
          "heavy_minus_sign",
          "heavy_multiplication_x",
          "arrows_clockwise",
          "twisted_rightwards_arrows");

  private ReactionsMethods() {}

  static void register(Methods methods) {
    methods.add("reactions.add", Tier.TIER_3, ReactionsMethods::add);
    methods.add("reactions.remove", Tier.TIER_2, ReactionsMethods::remove);
    methods.add("reactions.get", Tier.TIER_3, ReactionsMethods::get);
  }

  /**
   * The stored form of an emoji name: surrounding colons dropped, aliases resolved; {@code
   * invalid_name} for an empty, malformed or (strict mode) unknown name.
   */
  static String canonicalName(String raw, Limits limits) {
    String name = raw == null ? "" : raw.trim();
    if (name.length() > 2 && name.startsWith(":") && name.endsWith(":")) {
      name = name.substring(1, name.length() - 1);
    }
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      throw new SlackError("invalid_name");
    }
    String base = ALIASES.getOrDefault(matcher.group(1), matcher.group(1));
    if (limits.strictEmojiNames() && !STANDARD.contains(base)) {
      throw new SlackError("invalid_name");
    }
    return matcher.group(2) == null ? base : base + matcher.group(2);
  }

  private static ObjectNode add(ApiRequest r) {
    Workspace ws = r.workspace();
    MessageRef ref =
        ws.locked(() -> MessageRef.resolve(r, "reactions:write", TokenKind.BOT, TokenKind.USER));
    String name = canonicalName(r.param("name"), ws.limits());
    addReaction(ws, ref, r.principal().user().id, name);
    return Json.ok();
  }

  /**
   * The exclusive step of reactions.add: {@code already_reacted}, {@code too_many_reactions} or
   * {@code too_many_emoji}, else the reaction is committed; check and commit happen under one hold
   * of the lock. The race-window fault makes it non-atomic ({@link Workspace#commitExclusive}).
   */
  static void addReaction(Workspace ws, MessageRef ref, String user, String name) {
    ws.commitExclusive(
        () -> {
          Message m = ref.message(ws);
          if (m.reactors(name).contains(user)) {
            throw new SlackError("already_reacted");
          }
          if (m.reactionsBy(user) >= ws.limits().reactionsPerUser()) {
            throw new SlackError("too_many_reactions");
          }
          Set<String> emoji = m.emoji();
          if (!emoji.contains(name) && emoji.size() >= ws.limits().emojiPerMessage()) {
            throw new SlackError("too_many_emoji");
          }
          return new ReactionAdded(ref.channel(), ref.ts(), user, name);
        });
  }

  private static ObjectNode remove(ApiRequest r) {
    Workspace ws = r.workspace();
    ws.locked(
        () -> {
          MessageRef ref = MessageRef.resolve(r, "reactions:write", TokenKind.BOT, TokenKind.USER);
          String name = canonicalName(r.param("name"), ws.limits());
          String me = r.principal().user().id;
          if (!ref.message(ws).reactors(name).contains(me)) {
            throw new SlackError("no_reaction");
          }
          ws.commit(new ReactionRemoved(ref.channel(), ref.ts(), me, name));
        });
    return Json.ok();
  }

  /** {@code full} is accepted and ignored: the emulator always lists every reacting user. */
  private static ObjectNode get(ApiRequest r) {
    Workspace ws = r.workspace();
    return ws.locked(
        () -> {
          MessageRef ref = MessageRef.resolve(r, "reactions:read", TokenKind.BOT, TokenKind.USER);
          Message m = ref.message(ws);
          if (!ws.visibleTo(r.principal().user().id, ref.channel(ws), m)) {
            throw new SlackError("message_not_found"); // not visible to this reader yet
          }
          return Json.ok()
              .put("type", "message")
              .put("channel", ref.channel())
              .set(
                  "message",
                  Render.message(ref.channel(ws), m, r.principal().user().id)
                      .put("permalink", PinsMethods.permalink(ref.channel(ws), m)));
        });
  }
}
