package io.slackmq.cli;

/** Shows enough of a token to tell which one it is, never enough to use it. */
final class Secrets {
  private Secrets() {}

  /** {@code xoxb-1234-5678-abcdefgh} becomes {@code xoxb-…efgh}; null stays "(none)". */
  static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "(none)";
    }
    int dash = secret.indexOf('-');
    String prefix = dash > 0 && dash <= 6 ? secret.substring(0, dash + 1) : "";
    String tail = secret.length() > 12 ? secret.substring(secret.length() - 4) : "";
    return prefix + "…" + tail;
  }
}
