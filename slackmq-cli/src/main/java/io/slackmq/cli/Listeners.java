package io.slackmq.cli;

import io.slackmq.worker.MessageContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The worker command's listeners: {@code --reply} templates and {@code --exec} programs. */
final class Listeners {
  /** Slack's text limit is 40,000 characters; 3,900 keeps a reply readable and in one message. */
  static final int MAX_OUTPUT = 3_900;

  private Listeners() {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+|worker|user|text)}");

  /** Fills {1}, {worker}, {user}, {text}; an unmatched group becomes empty. */
  static String fill(String template, MessageContext ctx) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String value =
          switch (key) {
            case "worker" -> ctx.workerId();
            case "user" -> ctx.user();
            case "text" -> ctx.text();
            default -> {
              int i = Integer.parseInt(key);
              yield i < ctx.groups().size() + 1 && ctx.group(i) != null ? ctx.group(i) : "";
            }
          };
      m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? "" : value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Runs the program directly (no shell), output to the thread; a non-zero exit fails the attempt.
   */
  static void run(List<String> command, Duration timeout, MessageContext ctx)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    for (String arg : command) {
      argv.add(fill(arg, ctx));
    }
    // Output goes to a file, not a pipe: a chatty or hung program can then neither block on a
    // full pipe nor keep us from enforcing the timeout.
    Path output = Files.createTempFile("slackmq-exec", ".out");
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      p.getOutputStream().close(); // no input: a program that reads stdin sees end of file
      boolean ended;
      try {
        ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // The worker is stopping past its deadline: the lease is handed back, so the program
        // must not go on beside the next holder's run.
        p.destroyForcibly();
        throw e;
      }
      if (!ended) {
        p.destroyForcibly();
        ctx.replyInThread(argv.get(0) + " did not finish within " + timeout + "; killed it");
        throw new IOException(argv.get(0) + " did not finish within " + timeout);
      }
      String text;
      try (InputStream in = Files.newInputStream(output)) {
        text = new String(in.readNBytes(MAX_OUTPUT * 4), StandardCharsets.UTF_8).strip();
      }
      if (text.length() > MAX_OUTPUT) {
        text = text.substring(0, MAX_OUTPUT) + "\n… (output trimmed)";
      }
      String body = "```" + (text.isEmpty() ? "(no output)" : text) + "```";
      if (p.exitValue() != 0) {
        ctx.replyInThread(argv.get(0) + " exited with " + p.exitValue() + "\n" + body);
        throw new IOException(argv.get(0) + " exited with " + p.exitValue());
      }
      ctx.replyInThread(body);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
