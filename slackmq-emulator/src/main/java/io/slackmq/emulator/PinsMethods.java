package io.slackmq.emulator;

/** The pins.* Web API methods. */
final class PinsMethods {
  private PinsMethods() {}

  static void register(Methods methods) {
    // Filled in by the Web API work (issue 2).
  }
}
