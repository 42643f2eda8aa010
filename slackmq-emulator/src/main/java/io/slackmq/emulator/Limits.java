package io.slackmq.emulator;

/**
 * Numbers and choices Slack does not publish, in one place so a test or the emulator's config can
 * change them (see docs/EMULATOR.md, "Web API methods", for why each default was chosen).
 *
 * @param pinsPerChannel pins a channel may hold; one more is {@code too_many_pins}
 * @param emojiPerMessage distinct emoji on one message; one more is {@code too_many_emoji}
 * @param reactionsPerUser reactions one user may add to one message; one more is {@code
 *     too_many_reactions}
 * @param notPinnedError what pins.remove answers for an item that is not pinned: Slack documents
 *     both {@code no_pin} and {@code not_pinned}
 * @param strictEmojiNames true: only the built-in standard names (and their skin tones) are valid,
 *     as in a workspace with no custom emoji; false: any well-formed name is taken for a custom
 *     emoji
 */
record Limits(
    int pinsPerChannel,
    int emojiPerMessage,
    int reactionsPerUser,
    String notPinnedError,
    boolean strictEmojiNames) {
  static final Limits DEFAULT = new Limits(100, 50, 23, "no_pin", false);

  Limits {
    if (pinsPerChannel < 1 || emojiPerMessage < 1 || reactionsPerUser < 1) {
      throw new IllegalArgumentException(
          "limits must be >= 1: pins "
              + pinsPerChannel
              + ", emoji "
              + emojiPerMessage
              + ", reactions per user "
              + reactionsPerUser);
    }
    if (!notPinnedError.equals("no_pin") && !notPinnedError.equals("not_pinned")) {
      throw new IllegalArgumentException(
          "notPinnedError must be no_pin or not_pinned, was " + notPinnedError);
    }
  }
}
