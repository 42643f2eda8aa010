package io.slackmq.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shows enough of a token to tell which one it is, never enough to use it. */
final class Secrets {
  /** Slack's token shapes: bot, user, app-level, refresh... ({@code xoxb-}, {@code xapp-}). */
  private static final Pattern TOKEN = Pattern.compile("\\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+");

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

  /** {@code text} with every token in it {@link #mask masked}; null stays null. */
  static String maskTokens(String text) {
    if (text == null || (!text.contains("xox") && !text.contains("xapp-"))) {
      return text;
    }
    Matcher m = TOKEN.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(mask(m.group())));
    }
    return m.appendTail(sb).toString();
  }
}
