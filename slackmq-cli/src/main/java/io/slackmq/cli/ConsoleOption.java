package io.slackmq.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --console[=PORT]} of the commands that start a local Slack in this JVM ({@code emulator},
 * {@code demo}): the web console beside it, on loopback.
 */
final class ConsoleOption {
  @Option(
      names = "--console",
      arity = "0..1",
      fallbackValue = "8080",
      paramLabel = "PORT",
      description =
          "Also serve the web console on 127.0.0.1:PORT (default 8080; 0: any free port) and print its URL.")
  Integer port;

  /**
   * Starts the console for the local Slack whose {@code env} is given and prints its URL; null
   * without {@code --console}.
   */
  Console start(Map<String, String> env, double timeScale, String adminToken, PrintWriter out) {
    if (port == null) {
      return null;
    }
    Console console = Console.start(ConsoleSettings.local(env, port, timeScale, adminToken));
    out.println("Console: " + console.url() + "  (" + console.describe() + ")");
    out.flush();
    return console;
  }
}
