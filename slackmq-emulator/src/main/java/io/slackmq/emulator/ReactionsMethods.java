package io.slackmq.emulator;

/** The reactions.* Web API methods. */
final class ReactionsMethods {
  private ReactionsMethods() {}

  static void register(Methods methods) {
    // Filled in by the Web API work (issue 2).
  }
}
