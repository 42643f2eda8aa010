package io.slackmq.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How to reach Slack, shared by the subcommands. Each value is its flag's, or, when the flag is not
 * given, the environment's or the {@code --config} file's ({@link Config} adds those as flags
 * before the command runs: {@code SLACK_BOT_TOKEN}, {@code SLACK_CHANNEL}, ...).
 */
final class SlackOptions {
  static final String SLACK_API = "https://slack.com/api/";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Settings file, lowest precedence: YAML (.yaml/.yml; keys are option names, e.g."
              + " `ttl: PT5M`) or KEY=VALUE lines (SLACK_BOT_TOKEN=..., SLACKMQ_TTL=...; e.g. the"
              + " emulator's --env-file). Env SLACKMQ_CONFIG.")
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

  /** Where each setting came from (flag, env, file, default), for {@code --print-config}. */
  Map<String, Config.Origin> origins = Map.of();

  String apiUrl() {
    String url = value(apiUrl);
    if (url == null) {
      return SLACK_API;
    }
    return url.endsWith("/") ? url : url + "/";
  }

  String token() {
    return required(value(token), "--token", "SLACK_BOT_TOKEN");
  }

  String appToken() {
    return required(value(appToken), "--app-token", "SLACK_APP_TOKEN");
  }

  String userTokenOrNull() {
    return value(userToken);
  }

  String signingSecretOrNull() {
    return value(signingSecret);
  }

  String appTokenOrNull() {
    return value(appToken);
  }

  String channel() {
    return required(value(channel), "--channel", "SLACK_CHANNEL");
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

  private static String value(String flag) {
    return flag == null || flag.isBlank() ? null : flag; // env and file arrive as flags (Config)
  }
}
