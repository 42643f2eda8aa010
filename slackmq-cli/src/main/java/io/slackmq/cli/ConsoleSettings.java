package io.slackmq.cli;

/**
 * What one console serves and how it reads Slack. Holds tokens: {@link #toString} masks them.
 *
 * @param apiUrl the Web API prefix (real Slack's or a local Slack's)
 * @param botToken the token the console reads with (the workers' app: it takes a share of that
 *     app's budget)
 * @param userToken a person's token, for posting and reacting as that person on the local Slack;
 *     null: those controls are off
 * @param channel the queue's channel id
 * @param host the address to bind
 * @param port the port (0: any free one)
 * @param password required of every request when set (Basic auth or a Bearer token); null on
 *     loopback without one
 * @param timeScale the local Slack's time scale, or null to ask it (1 on real Slack)
 * @param limit how many of the newest messages the console keeps and shows
 * @param readOnly refuse every control even on the local Slack
 * @param adminToken the local Slack's admin token when it is bound beyond loopback, else null
 */
record ConsoleSettings(
    String apiUrl,
    String botToken,
    String userToken,
    String channel,
    String host,
    int port,
    String password,
    Double timeScale,
    int limit,
    boolean readOnly,
    String adminToken) {

  /** The most messages a console keeps (and a page shows). */
  static final int MAX_LIMIT = 200;

  ConsoleSettings {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
  }

  /**
   * A console on loopback for a local Slack started in this JVM ({@code slackmq emulator
   * --console}, {@code slackmq demo --console}): it reads as the first app's bot and acts as the
   * first person, from the emulator's {@code env}.
   */
  static ConsoleSettings local(
      java.util.Map<String, String> env, int port, double timeScale, String adminToken) {
    return new ConsoleSettings(
        env.get("SLACK_API_URL"),
        env.get("SLACK_BOT_TOKEN"),
        env.get("SLACK_USER_TOKEN"),
        env.get("SLACK_CHANNEL"),
        "127.0.0.1",
        port,
        null,
        timeScale,
        100,
        false,
        adminToken);
  }

  @Override
  public String toString() {
    return "ConsoleSettings[apiUrl="
        + apiUrl
        + ", botToken="
        + Secrets.mask(botToken)
        + ", userToken="
        + Secrets.mask(userToken)
        + ", channel="
        + channel
        + ", host="
        + host
        + ", port="
        + port
        + ", password="
        + (password == null ? "(none)" : "(set)")
        + ", timeScale="
        + timeScale
        + ", limit="
        + limit
        + ", readOnly="
        + readOnly
        + "]";
  }
}
