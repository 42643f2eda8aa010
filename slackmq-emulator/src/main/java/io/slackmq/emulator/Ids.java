package io.slackmq.emulator;

import java.util.Random;
import java.util.function.Predicate;

/**
 * Slack-shaped ids and tokens. Seeded, so the default workspace has the same tokens on every start
 * and a script can rely on them; a data directory keeps whatever was generated.
 *
 * <p>Never reuses an id or a token: every draw is checked against {@code taken} (the ids and tokens
 * the workspace already holds) and drawn again on a clash. After a restart on a data directory the
 * same seed would replay the first run's sequence, so the emulator starts a different stream
 * ({@link #Ids(long, long, Predicate)} with the number of replayed mutations as the epoch); the
 * check makes uniqueness certain rather than merely likely.
 */
final class Ids {
  private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private final Random random;
  private final Predicate<String> taken;

  Ids(long seed) {
    this(seed, 0, s -> false);
  }

  /**
   * @param epoch 0 for a fresh workspace; anything else derives a different stream from the seed
   * @param taken whether an id or token is already in use (called with the workspace unlocked or
   *     locked by this thread; it must take the workspace lock itself)
   */
  Ids(long seed, long epoch, Predicate<String> taken) {
    this.random = new Random(epoch == 0 ? seed : seed * 0x9E3779B97F4A7C15L + epoch);
    this.taken = taken;
  }

  /** E.g. {@code id('C')} gives {@code C0A1B2C3D4E}. */
  synchronized String id(char prefix) {
    String id;
    do {
      StringBuilder sb = new StringBuilder().append(prefix);
      for (int i = 0; i < 10; i++) {
        sb.append(ALNUM[random.nextInt(ALNUM.length)]);
      }
      id = sb.toString();
    } while (taken.test(id));
    return id;
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
    String token;
    do {
      token = kind + "-" + digits(12) + "-" + digits(13) + "-" + secret(24);
    } while (taken.test(token));
    return token;
  }

  private String digits(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }
}
