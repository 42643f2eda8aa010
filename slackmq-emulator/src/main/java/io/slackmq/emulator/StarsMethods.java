package io.slackmq.emulator;

/** The stars.* Web API methods. */
final class StarsMethods {
  private StarsMethods() {}

  static void register(Methods methods) {
    // Filled in by the Web API work (issue 2).
  }
}
