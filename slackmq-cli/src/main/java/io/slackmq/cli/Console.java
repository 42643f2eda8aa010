package io.slackmq.cli;

import io.javalin.Javalin;
import io.slackmq.core.LockClient;
import io.slackmq.core.SlackApi;
import io.slackmq.core.Ts;
import java.io.IOException;

/**
 * A running console: reads the queue's channel (see {@link ConsoleReader}), serves the live page
 * (see {@link ConsoleServer}) and, on the local Slack, drives it: posts and reacts as a person,
 * drops or disconnects an app's sockets, switches faults. Read-only on a real workspace.
 */
final class Console implements AutoCloseable {
  private final ConsoleSettings settings;
  private final ConsoleLocal local;
  private final SlackApi person;
  private final ConsoleClients clients = new ConsoleClients();
  private final ConsoleReader reader;
  private final Javalin http;

  private Console(ConsoleSettings settings) {
    this.settings = settings;
    this.local = ConsoleLocal.probe(settings.apiUrl(), settings.adminToken());
    boolean controls = local != null && !settings.readOnly();
    double timeScale = ConsoleReader.timeScale(settings, local);
    this.person =
        controls && settings.userToken() != null
            ? Slack.api(settings.apiUrl(), settings.userToken(), timeScale)
            : null;
    String personName =
        person == null
            ? null
            : person.call("auth.test", m -> m.authTest(q -> q)).getUser(); // who the page acts as
    this.reader = new ConsoleReader(settings, local, personName, clients::publish);
    try {
      this.http =
          ConsoleServer.start(
              settings.host(),
              settings.port(),
              settings.password(),
              clients,
              controls ? new Controls() : null);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    reader.start();
  }

  /**
   * Starts a console.
   *
   * @throws io.slackmq.core.SlackMQException when the person's token is refused
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  static Console start(ConsoleSettings settings) {
    return new Console(settings);
  }

  /** The page's address. */
  String url() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + host + ":" + http.port() + "/";
  }

  /** How the console reads Slack, for the line printed at start. */
  String describe() {
    ConsoleBudget b = reader.budget();
    String where =
        local == null
            ? "real Slack (read-only)"
            : settings.readOnly() ? "the local Slack (read-only)" : "the local Slack";
    return where
        + "; refresh every "
        + b.tick().toMillis()
        + " ms, at most "
        + b.repliesPerTick()
        + " thread read(s) each"
        + (local == null || local.rateLimited
            ? " (" + Math.round(ConsoleBudget.SHARE * 100) + " % of the app's budget per method)"
            : " (rate limits off)");
  }

  /** The last refresh's whole view (null before the first). */
  ConsoleView view() {
    return clients.last();
  }

  @Override
  public void close() {
    reader.close();
    clients.close();
    http.stop();
  }

  /** The controls of the local Slack. */
  private final class Controls implements ConsoleServer.Controls {
    @Override
    public String post(String text) {
      if (text.length() > 4000) {
        throw new IllegalArgumentException("text must be at most 4000 characters");
      }
      return Slack.post(person(), settings.channel(), text).getTs();
    }

    @Override
    public void react(String ts, String name) {
      if (!Ts.valid(ts)) {
        throw new IllegalArgumentException("ts must be a Slack ts (secs.micros), was " + ts);
      }
      String emoji = LockClient.Builder.emoji(name);
      person()
          .call(
              "reactions.add",
              m -> m.reactionsAdd(q -> q.channel(settings.channel()).timestamp(ts).name(emoji)));
    }

    @Override
    public int socket(String app, String action) throws IOException {
      return local.socket(app, action);
    }

    @Override
    public void fault(String name, boolean on) throws IOException {
      local.fault(name, on);
    }

    private SlackApi person() {
      if (person == null) {
        throw new IllegalArgumentException(
            "no person to act as: start the console with SLACK_USER_TOKEN (or --user-token)");
      }
      return person;
    }
  }
}
