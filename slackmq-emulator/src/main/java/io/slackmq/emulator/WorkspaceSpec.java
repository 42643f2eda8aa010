package io.slackmq.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a workspace holds, as a config file describes it (docs/EMULATOR.md, "Running it", gives the
 * JSON form). Ids, tokens and secrets are generated, seeded, when the spec is provisioned. Every
 * constructor checks its own values, so a spec that exists is a valid one.
 */
record WorkspaceSpec(List<TeamSpec> teams) {
  static final List<String> DEFAULT_BOT_SCOPES =
      List.of(
          "app_mentions:read",
          "channels:history",
          "channels:join",
          "channels:manage",
          "channels:read",
          "chat:write",
          "groups:history",
          "groups:read",
          "groups:write",
          "pins:read",
          "pins:write",
          "reactions:read",
          "reactions:write",
          "users:read");
  static final List<String> DEFAULT_USER_SCOPES =
      List.of(
          "channels:history",
          "channels:join",
          "channels:manage",
          "channels:read",
          "chat:write",
          "groups:history",
          "groups:read",
          "groups:write",
          "pins:read",
          "pins:write",
          "reactions:read",
          "reactions:write",
          "stars:read",
          "stars:write",
          "users:read");
  static final List<String> DEFAULT_EVENTS =
      List.of(
          "message.channels",
          "message.groups",
          "app_mention",
          "pin_added",
          "pin_removed",
          "reaction_added",
          "reaction_removed");

  /** Slack's rule for channel names: lower case letters, digits, '-' and '_', at most 80. */
  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9_-]{1,80}");

  /** App and user names become env variable suffixes and channel member references. */
  private static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,80}");

  WorkspaceSpec {
    teams = List.copyOf(require(teams, "teams"));
    if (teams.isEmpty()) {
      throw new IllegalArgumentException("a workspace needs at least one team");
    }
    unique(teams.stream().map(TeamSpec::name).toList(), "team name");
  }

  /**
   * @param domain the {@code <domain>.slack.com} of auth.test; derived from the name when absent
   */
  record TeamSpec(
      String name,
      String domain,
      List<AppSpec> apps,
      List<UserSpec> users,
      List<ChannelSpec> channels) {
    TeamSpec {
      name = nonBlank(name, "team name");
      domain =
          domain == null ? name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") : domain;
      apps = apps == null ? List.of() : List.copyOf(apps);
      users = users == null ? List.of() : List.copyOf(users);
      channels = channels == null ? List.of() : List.copyOf(channels);
      List<String> members = new ArrayList<>();
      apps.forEach(a -> members.add(a.name()));
      users.forEach(u -> members.add(u.name()));
      unique(members, "app or user name in team " + name);
      unique(channels.stream().map(ChannelSpec::name).toList(), "channel name in team " + name);
      Set<String> known = new HashSet<>(members);
      for (ChannelSpec ch : channels) {
        for (String member : ch.members()) {
          if (!known.contains(member)) {
            throw new IllegalArgumentException(
                "channel #"
                    + ch.name()
                    + " in team "
                    + name
                    + " names unknown member '"
                    + member
                    + "' (known: "
                    + members
                    + ")");
          }
        }
      }
    }
  }

  /**
   * @param scopes bot scopes; null means {@link #DEFAULT_BOT_SCOPES}
   * @param events event subscriptions; null means {@link #DEFAULT_EVENTS}
   * @param requestUrl where the Events API pushes events; null for Socket Mode only
   * @param nonMarketplace2025 conversations.history/replies at Tier 1 (Slack's May 2025 change)
   */
  record AppSpec(
      String name,
      List<String> scopes,
      List<String> events,
      String requestUrl,
      boolean nonMarketplace2025) {
    AppSpec {
      name = memberName(name, "app name");
      scopes = scopes == null ? null : List.copyOf(scopes);
      events = events == null ? null : List.copyOf(events);
    }

    AppSpec(String name) {
      this(name, null, null, null, false);
    }
  }

  /**
   * @param scopes user-token scopes; null means {@link #DEFAULT_USER_SCOPES}
   */
  record UserSpec(String name, List<String> scopes) {
    UserSpec {
      name = memberName(name, "user name");
      scopes = scopes == null ? null : List.copyOf(scopes);
    }

    UserSpec(String name) {
      this(name, null);
    }
  }

  /**
   * @param members app and user names; the channel's creator is the first
   */
  record ChannelSpec(
      String name, @JsonProperty("private") boolean isPrivate, List<String> members) {
    ChannelSpec {
      name = channelName(name);
      members = members == null ? List.of() : List.copyOf(members);
      unique(members, "member of channel #" + name);
    }
  }

  /** One channel, #ops, with two apps (so cross-app locking can be tried at once) and a human. */
  static WorkspaceSpec defaults() {
    return new WorkspaceSpec(
        List.of(
            new TeamSpec(
                "SlackMQ Local",
                "slackmq-local",
                List.of(new AppSpec("slackmq-a"), new AppSpec("slackmq-b")),
                List.of(new UserSpec("alice")),
                List.of(
                    new ChannelSpec("ops", false, List.of("alice", "slackmq-a", "slackmq-b"))))));
  }

  /**
   * Reads a workspace config file (JSON).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it: missing, not JSON,
   *     an unknown field, a duplicate name, a channel member that is no app or user
   */
  static WorkspaceSpec read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + " cannot be read: " + e, e);
    }
    try {
      WorkspaceSpec spec = READER.readValue(text);
      if (spec == null) {
        throw new IllegalArgumentException("it is empty");
      }
      return spec;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("config file " + file + ": " + problem(e), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads one part of a spec (an app, a user, a channel) from a JSON tree, as the admin API
   * receives it.
   *
   * @throws IllegalArgumentException saying what is wrong, e.g. an unknown field
   */
  static <T> T fromJson(JsonNode node, Class<T> type) {
    try {
      return READER.forType(type).readValue(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(problem(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A Jackson failure as one sentence a person can act on (no stack, no parser internals). */
  static String problem(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '"
          + u.getPropertyName()
          + "' at "
          + jsonPath(u)
          + " (known: "
          + u.getKnownPropertyIds()
          + ")";
    }
    if (e.getCause() instanceof IllegalArgumentException iae) {
      return iae.getMessage(); // a record constructor's own check
    }
    String where =
        e.getLocation() == null || e.getLocation().getLineNr() < 0
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    if (e instanceof MismatchedInputException m
        && m.getTargetType() != null
        && !m.getPath().isEmpty()) {
      return "wrong value at " + jsonPath(m) + ": expected " + expected(m.getTargetType()) + where;
    }
    return e.getOriginalMessage() + where;
  }

  /** {@code teams[0].apps[1].name}: where in the document, in the document's own terms. */
  private static String jsonPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "the top level" : sb.toString();
  }

  private static String expected(Class<?> type) {
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    } else if (type == String.class) {
      return "a string";
    } else if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    return "an object";
  }

  private static final ObjectReader READER =
      Json.MAPPER
          .readerFor(WorkspaceSpec.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static <T> T require(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return value;
  }

  private static String nonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is missing or blank");
    }
    return value;
  }

  private static String memberName(String value, String what) {
    nonBlank(value, what);
    if (!MEMBER_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' must be 1-80 letters, digits, '.', '-' or '_'");
    }
    return value;
  }

  static String channelName(String value) {
    nonBlank(value, "channel name");
    if (!CHANNEL_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "channel name '"
              + value
              + "' must be 1-80 lower case letters, digits, '-' or '_' (as Slack requires)");
    }
    return value;
  }

  private static void unique(List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException("duplicate " + what + " '" + n + "'");
      }
    }
  }
}
