package io.slackmq.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Emulator;
import io.slackmq.emulator.Faults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a local Slack is started with; shared by {@link LocalSlack#configure()} and {@link
 * LocalSlackExtension#builder()}. The defaults suit tests: the emulator's default workspace (apps
 * {@code slackmq-a} and {@code slackmq-b}, a person {@code alice}, a channel {@code #ops} they all
 * belong to), no rate limits, real time, seed 1, a free port.
 *
 * @param <B> the builder itself, so options chain
 */
public abstract class LocalSlackOptions<B extends LocalSlackOptions<B>> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private List<String> apps = List.of();
  private List<String> people = List.of();
  private List<String> channels = List.of();
  private Path config;
  private double timeScale = 1;
  private boolean slackRateLimits;
  private final Map<String, Integer> rateLimits = new LinkedHashMap<>();
  private final List<Consumer<Faults>> faults = new ArrayList<>();
  private long seed = 1;
  private int port;

  LocalSlackOptions() {}

  abstract B self();

  /**
   * The workspace's apps (default {@code slackmq-a}, {@code slackmq-b}); with {@link #people} and
   * {@link #channels} it replaces the default workspace: every app and person is a member of every
   * channel.
   */
  public B apps(String... names) {
    this.apps = names(names, "apps");
    return self();
  }

  /** The workspace's people, who have user tokens (default {@code alice}). */
  public B people(String... names) {
    this.people = names(names, "people");
    return self();
  }

  /** The workspace's public channels, by name without {@code #} (default {@code ops}). */
  public B channels(String... names) {
    this.channels = names(names, "channels");
    return self();
  }

  /**
   * A workspace config file (the emulator's JSON format: teams, apps, users, channels, scopes),
   * instead of {@link #apps}, {@link #people} and {@link #channels}; see docs/EMULATOR.md.
   */
  public B config(Path workspaceJson) {
    this.config = Objects.requireNonNull(workspaceJson, "workspaceJson");
    return self();
  }

  /**
   * Emulated seconds per real second for rate limits and event retries (default 1); 60 makes an
   * emulated minute last one real second.
   *
   * @throws IllegalArgumentException unless {@code > 0}
   */
  public B timeScale(double timeScale) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("time scale must be > 0, was " + timeScale);
    }
    this.timeScale = timeScale;
    return self();
  }

  /** Slack's published rate limits (default: none, so tests count calls without waiting). */
  public B slackRateLimits() {
    this.slackRateLimits = true;
    return self();
  }

  /**
   * Slack's rate limits, except {@code method}, which allows {@code perMinute} calls (0: no limit).
   *
   * @throws IllegalArgumentException when {@code perMinute < 0}
   */
  public B rateLimit(String method, int perMinute) {
    if (perMinute < 0) {
      throw new IllegalArgumentException(
          "rate limit of " + method + " must be >= 0, was " + perMinute);
    }
    rateLimits.put(Objects.requireNonNull(method, "method"), perMinute);
    return self();
  }

  /**
   * Faults active from the start (and again after each reset), e.g. {@code f ->
   * f.errorRate("pins.add", ErrorKind.INTERNAL_ERROR, 0.1)}. A test changes them further through
   * {@link LocalSlack#faults()}.
   */
  public B faults(Consumer<Faults> setup) {
    faults.add(Objects.requireNonNull(setup, "setup"));
    return self();
  }

  /** Seeds ids, tokens and fault draws (default 1): the same seed gives the same run. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /**
   * A fixed port (default 0: a free one, which tests should use). Two local Slacks cannot share
   * one: the second fails naming the port and the first's owner.
   *
   * @throws IllegalArgumentException outside 0..65535
   */
  public B port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    this.port = port;
    return self();
  }

  int port() {
    return port;
  }

  /** The emulator these options describe; a workspace of named apps is written to a temp file. */
  Emulator.Builder emulator() {
    Emulator.Builder b = Emulator.builder().seed(seed).port(port).timeScale(timeScale);
    if (slackRateLimits) {
      b.slackRateLimits();
    } else if (rateLimits.isEmpty()) {
      b.noRateLimits();
    }
    rateLimits.forEach(b::rateLimit);
    faults.forEach(b::faults);
    if (config != null) {
      b.config(config);
    } else if (!apps.isEmpty() || !people.isEmpty() || !channels.isEmpty()) {
      b.config(workspaceFile());
    }
    return b;
  }

  private Path workspaceFile() {
    List<String> a = apps.isEmpty() ? List.of("slackmq-a", "slackmq-b") : apps;
    List<String> p = people.isEmpty() ? List.of("alice") : people;
    List<String> c = channels.isEmpty() ? List.of("ops") : channels;
    ObjectNode team = JSON.createObjectNode().put("name", "SlackMQ Local");
    ArrayNode appList = team.putArray("apps");
    ArrayNode userList = team.putArray("users");
    ArrayNode channelList = team.putArray("channels");
    a.forEach(name -> appList.addObject().put("name", name));
    p.forEach(name -> userList.addObject().put("name", name));
    for (String name : c) {
      ArrayNode members = channelList.addObject().put("name", name).putArray("members");
      p.forEach(members::add);
      a.forEach(members::add);
    }
    ObjectNode root = JSON.createObjectNode();
    root.putArray("teams").add(team);
    try {
      Path file = Files.createTempFile("slackmq-workspace-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, root.toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> names(String[] names, String what) {
    List<String> list = List.of(names); // no nulls
    if (list.isEmpty() || list.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(what + " need at least one name, and no blank one");
    }
    return list;
  }
}
