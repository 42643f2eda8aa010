package io.slackmq.emulator;

/** The users.* Web API methods. */
final class UsersMethods {
  private UsersMethods() {}

  static void register(Methods methods) {
    // Filled in by the Web API work (issue 2).
  }
}
