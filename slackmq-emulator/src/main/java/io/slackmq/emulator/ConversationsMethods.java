package io.slackmq.emulator;

/** The conversations.* Web API methods. */
final class ConversationsMethods {
  private ConversationsMethods() {}

  static void register(Methods methods) {
    // Filled in by the Web API work (issue 2).
  }
}
