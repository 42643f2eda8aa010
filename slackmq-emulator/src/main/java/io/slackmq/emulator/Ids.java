package io.slackmq.emulator;

import java.util.Random;

/**
 * Slack-shaped ids and tokens. Seeded, so the default workspace has the same tokens on every
 * start and a script can rely on them; a data directory keeps whatever was generated.
 */
final class Ids {
  private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private final Random random;

  Ids(long seed) {
    this.random = new Random(seed);
  }

  /** E.g. {@code id('C')} gives {@code C0A1B2C3D4E}. */
  synchronized String id(char prefix) {
    StringBuilder sb = new StringBuilder().append(prefix);
    for (int i = 0; i < 10; i++) {
      sb.append(ALNUM[random.nextInt(ALNUM.length)]);
    }
    return sb.toString();
  }

  synchronized String secret(int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(LOWER[random.nextInt(LOWER.length)]);
    }
    return sb.toString();
  }

  /** {@code xoxb-<digits>-<digits>-<secret>}, the shape of a real bot token. */
  synchronized String token(String kind) {
    return kind + "-" + digits(12) + "-" + digits(13) + "-" + secret(24);
  }

  private String digits(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }
}
