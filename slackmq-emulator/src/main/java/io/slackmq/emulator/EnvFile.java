package io.slackmq.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The emulator's {@link Emulator#env()} for people and scripts. It holds tokens and secrets: it
 * goes to stdout and to the file the user named, never to a logger.
 */
final class EnvFile {
  private EnvFile() {}

  /** The environment of {@link Emulator#env()}: API URL, tokens, secrets and ids, by name. */
  static Map<String, String> env(Workspace workspace, String apiUrl, double timeScale) {
    return workspace.locked(
        () -> {
          Map<String, String> env = new LinkedHashMap<>();
          env.put("SLACK_API_URL", apiUrl);
          // Clients pace at the local Slack's rate (slackmq worker reads it from here).
          env.put(
              "SLACK_TIME_SCALE",
              timeScale == Math.rint(timeScale)
                  ? Long.toString((long) timeScale)
                  : Double.toString(timeScale));
          boolean first = true;
          for (App app : workspace.apps()) {
            String n = envName(app.name);
            if (first) {
              env.put("SLACK_TEAM_ID", app.team.id);
              env.put("SLACK_BOT_TOKEN", app.botToken);
              env.put("SLACK_APP_TOKEN", app.appToken);
              env.put("SLACK_SIGNING_SECRET", app.signingSecret);
              first = false;
            }
            env.put("SLACK_BOT_TOKEN_" + n, app.botToken);
            env.put("SLACK_APP_TOKEN_" + n, app.appToken);
            env.put("SLACK_SIGNING_SECRET_" + n, app.signingSecret);
            env.put("SLACK_BOT_USER_" + n, app.botUser.id);
            env.put("SLACK_APP_ID_" + n, app.id);
          }
          first = true;
          for (User user : workspace.users()) {
            if (!user.isBot) {
              for (String t : workspace.principalsOf(user)) {
                if (first) {
                  env.put("SLACK_USER_TOKEN", t); // `slackmq send` posts as this person
                  first = false;
                }
                env.put("SLACK_USER_TOKEN_" + envName(user.name), t);
              }
              env.put("SLACK_USER_ID_" + envName(user.name), user.id);
            }
          }
          first = true;
          for (Channel ch : workspace.channels()) {
            if (first) {
              env.put("SLACK_CHANNEL", ch.id);
              first = false;
            }
            env.put("SLACK_CHANNEL_" + envName(ch.name), ch.id);
          }
          return env;
        });
  }

  private static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * Writes {@code KEY=VALUE} lines to a temp file (mode 600) beside {@code file}, then moves it.
   */
  static void write(Path file, Map<String, String> env) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp =
        posix
            ? Files.createTempFile(
                dir,
                ".env-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, ".env-", ".tmp");
    try {
      Files.writeString(tmp, lines(env), StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String lines(Map<String, String> env) {
    StringBuilder sb = new StringBuilder();
    env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  static String describe(Map<String, String> env, boolean restored) {
    return "SlackMQ emulator: a local Slack at "
        + env.get("SLACK_API_URL")
        + (restored ? " (state restored from the data directory)" : "")
        + "\n"
        + "Tokens, signing secrets and channel ids (as environment variables):\n"
        + lines(env).indent(2);
  }
}
