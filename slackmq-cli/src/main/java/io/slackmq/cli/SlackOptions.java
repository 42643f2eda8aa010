package io.slackmq.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How to reach Slack, shared by the subcommands. Precedence: flag, then environment variable, then
 * the {@code --config} file ({@code KEY=VALUE} lines with the same names as the variables, e.g. the
 * file the emulator writes with {@code --env-file}).
 */
final class SlackOptions {
  static final String SLACK_API = "https://slack.com/api/";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "KEY=VALUE file with SLACK_API_URL, SLACK_BOT_TOKEN, ... (lowest precedence).")
  Path configFile;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description =
          "Web API prefix (env SLACK_API_URL; default: real Slack, https://slack.com/api/).")
  String apiUrl;

  @Option(
      names = "--token",
      paramLabel = "xoxb-…",
      description = "Bot token (env SLACK_BOT_TOKEN). Prefer the environment: flags show in ps.")
  String token;

  @Option(
      names = "--user-token",
      paramLabel = "xoxp-…",
      description =
          "A person's token; `send` posts as that person when set (env SLACK_USER_TOKEN).")
  String userToken;

  @Option(
      names = "--app-token",
      paramLabel = "xapp-…",
      description = "App-level token for Socket Mode (env SLACK_APP_TOKEN).")
  String appToken;

  @Option(
      names = "--signing-secret",
      paramLabel = "SECRET",
      description = "Signing secret for the Events API (env SLACK_SIGNING_SECRET).")
  String signingSecret;

  @Option(
      names = {"-c", "--channel"},
      paramLabel = "CHANNEL_ID",
      description = "Channel id, e.g. C0123456789 (env SLACK_CHANNEL).")
  String channel;

  private Properties file;
  private final Map<String, String> env;

  SlackOptions() {
    this(System.getenv());
  }

  SlackOptions(Map<String, String> env) {
    this.env = env;
  }

  String apiUrl() {
    String url = resolve(apiUrl, "SLACK_API_URL");
    if (url == null) {
      return SLACK_API;
    }
    return url.endsWith("/") ? url : url + "/";
  }

  String token() {
    return required(resolve(token, "SLACK_BOT_TOKEN"), "--token", "SLACK_BOT_TOKEN");
  }

  String appToken() {
    return required(resolve(appToken, "SLACK_APP_TOKEN"), "--app-token", "SLACK_APP_TOKEN");
  }

  String userTokenOrNull() {
    return resolve(userToken, "SLACK_USER_TOKEN");
  }

  String signingSecretOrNull() {
    return resolve(signingSecret, "SLACK_SIGNING_SECRET");
  }

  String appTokenOrNull() {
    return resolve(appToken, "SLACK_APP_TOKEN");
  }

  /**
   * The time scale of the Slack this talks to: 1 for real Slack; a local Slack's own scale, from
   * {@code SLACK_TIME_SCALE} (which {@code slackmq emulator} writes into its env file), so that
   * clients pace at its rate.
   */
  double timeScale(Double flag) {
    String v = flag != null ? flag.toString() : resolve(null, "SLACK_TIME_SCALE");
    if (v == null) {
      return 1.0;
    }
    try {
      double scale = Double.parseDouble(v);
      if (scale > 0 && !Double.isInfinite(scale)) {
        return scale;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(
        spec.commandLine(), "SLACK_TIME_SCALE / --time-scale must be a number > 0, was " + v);
  }

  String channel() {
    return required(resolve(channel, "SLACK_CHANNEL"), "--channel", "SLACK_CHANNEL");
  }

  private String required(String value, String flag, String variable) {
    if (value == null || value.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "missing "
              + flag
              + ": pass it, set "
              + variable
              + ", or name a --config file that has it");
    }
    return value;
  }

  private String resolve(String flag, String variable) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = env.get(variable);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return fileValue(variable);
  }

  private String fileValue(String key) {
    if (configFile == null) {
      return null;
    }
    if (file == null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(configFile)) {
        p.load(r);
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "cannot read --config " + configFile + ": " + e.getMessage());
      }
      file = p;
    }
    String v = file.getProperty(key);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
