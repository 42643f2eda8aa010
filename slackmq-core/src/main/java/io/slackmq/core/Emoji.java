package io.slackmq.core;

import java.util.Map;

/** Emoji names as Slack stores them: every emoji option goes through {@link #canonical}. */
final class Emoji {
  private Emoji() {}

  /**
   * Slack's canonical names for the aliases it accepts: reactions come back under the canonical
   * name ({@code thumbsup} is reported as {@code +1}), so a configured alias would never match what
   * we read. The emulator uses the same table.
   */
  static final Map<String, String> ALIASES =
      Map.of(
          "thumbsup",
          "+1",
          "thumbsdown",
          "-1",
          "thumbs_up",
          "+1",
          "thumbs_down",
          "-1",
          "hand",
          "raised_hand",
          "knife",
          "hocho",
          "shit",
          "hankey",
          "poop",
          "hankey");

  /**
   * Checks an emoji name (letters, digits, {@code _+'-}, an optional skin tone) and returns Slack's
   * canonical name.
   *
   * @throws IllegalArgumentException if it is not an emoji name (colons, spaces, capitals)
   */
  static String canonical(String name) {
    if (name == null || !name.matches("[a-z0-9_+'-]+(::skin-tone-[2-6])?")) {
      throw new IllegalArgumentException("not an emoji name (no colons): " + name);
    }
    int tone = name.indexOf("::");
    String base = tone < 0 ? name : name.substring(0, tone);
    return ALIASES.getOrDefault(base, base) + (tone < 0 ? "" : name.substring(tone));
  }
}
