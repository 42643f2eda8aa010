package io.slackmq.emulator;

/** The chat.* Web API methods. */
final class ChatMethods {
  private ChatMethods() {}

  static void register(Methods methods) {
    // Filled in by the Web API work (issue 2).
  }
}
