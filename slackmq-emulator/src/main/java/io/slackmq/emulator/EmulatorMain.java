package io.slackmq.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as a process until it is stopped (Ctrl-C, SIGTERM):
 *
 * <pre>
 * java -cp ... io.slackmq.emulator.EmulatorMain [--port 8765] [--host 127.0.0.1]
 *     [--config workspace.json] [--data-dir dir] [--time-scale 60] [--rate-limits off|slack]
 *     [--env-file slack.env] [--seed 1]
 * </pre>
 *
 * <p>At start it prints the API URL, every token, signing secret and channel id to stdout (that is
 * what a person starting it needs), and with {@code --env-file} writes them as {@code KEY=VALUE}
 * lines. Exit status 2 means bad arguments or a bad config file.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Emulator.Builder builder = Emulator.builder().port(8765);
    Path envFile;
    try {
      envFile = parse(List.of(args), builder);
    } catch (IllegalArgumentException e) {
      System.err.println("slackmq emulator: " + e.getMessage());
      System.err.println(
          "usage: EmulatorMain [--port N] [--host H] [--config FILE] [--data-dir DIR]"
              + " [--time-scale X] [--rate-limits off|slack] [--env-file FILE] [--seed N]");
      System.exit(2);
      return;
    }
    run(builder, envFile, System.out);
    new CountDownLatch(1).await(); // Jetty serves on its own threads; the shutdown hook stops it
  }

  /** Starts the emulator, prints how to reach it, writes the env file, stops it on JVM exit. */
  static Emulator run(Emulator.Builder builder, Path envFile, PrintStream out) throws IOException {
    Emulator emulator = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "emulator-shutdown"));
    out.print(emulator.describe());
    if (envFile != null) {
      emulator.writeEnvFile(envFile);
      out.println("Wrote " + envFile.toAbsolutePath());
    }
    out.flush();
    return emulator;
  }

  /**
   * Applies the command line to {@code builder}.
   *
   * @return the env file to write, or null
   * @throws IllegalArgumentException saying which option is wrong and why
   */
  static Path parse(List<String> args, Emulator.Builder builder) {
    Deque<String> rest = new ArrayDeque<>(args);
    Path envFile = null;
    while (!rest.isEmpty()) {
      String option = rest.poll();
      String value = rest.poll();
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      switch (option) {
        case "--port" -> builder.port(number(option, value));
        case "--host" -> builder.host(value);
        case "--config" -> builder.config(Path.of(value));
        case "--data-dir" -> builder.dataDir(Path.of(value));
        case "--env-file" -> envFile = Path.of(value);
        case "--seed" -> builder.seed(number(option, value));
        case "--time-scale" -> {
          try {
            builder.timeScale(Double.parseDouble(value));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--time-scale must be a number, was '" + value + "'");
          }
        }
        case "--rate-limits" -> {
          if (value.equals("off")) {
            builder.noRateLimits();
          } else if (value.equals("slack")) {
            builder.slackRateLimits();
          } else {
            throw new IllegalArgumentException(
                "--rate-limits must be off or slack, was '" + value + "'");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return envFile;
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
    }
  }
}
