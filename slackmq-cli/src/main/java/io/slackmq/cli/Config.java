package io.slackmq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Where each option of a command comes from: its flag, else the environment, else the {@code
 * --config} file, else its default. The environment names the Slack settings as Slack's tools do
 * ({@code SLACK_BOT_TOKEN}, {@code SLACK_CHANNEL}, ...) and every other option {@code SLACKMQ_}
 * plus its name ({@code --ttl}: {@code SLACKMQ_TTL}). The file is YAML when its name ends in {@code
 * .yaml} or {@code .yml} (keys: the option names, {@code ttl: PT5M}, lists for repeatable options),
 * else {@code KEY=VALUE} lines with the environment's names (the emulator's {@code --env-file}).
 *
 * <p>The values found are given to picocli as the arguments they stand for, so they are checked and
 * converted exactly as flags are.
 */
final class Config {
  /** Where a value came from. */
  enum Source {
    FLAG,
    ENV,
    FILE,
    DEFAULT
  }

  /** An option's source and, for env and file, the variable or file key. */
  record Origin(Source source, String where) {
    @Override
    public String toString() {
      return source.name().toLowerCase(Locale.ROOT) + (where == null ? "" : " " + where);
    }
  }

  /** The options that hold secrets: never printed in full. */
  static final Set<String> SECRETS =
      Set.of("--token", "--user-token", "--app-token", "--signing-secret");

  private static final Map<String, String> SLACK_NAMES =
      Map.of(
          "--api-url", "SLACK_API_URL",
          "--token", "SLACK_BOT_TOKEN",
          "--user-token", "SLACK_USER_TOKEN",
          "--app-token", "SLACK_APP_TOKEN",
          "--signing-secret", "SLACK_SIGNING_SECRET",
          "--channel", "SLACK_CHANNEL",
          // written by `slackmq emulator`: clients pace at the local Slack's rate
          "--time-scale", "SLACK_TIME_SCALE");

  /** Options that are actions, not settings. */
  private static final Set<String> NOT_SETTINGS =
      Set.of("--help", "--version", "--print-config", "--config");

  private Config() {}

  /** The variable that sets {@code option}: {@code SLACK_BOT_TOKEN}, {@code SLACKMQ_TTL}... */
  static String envName(OptionSpec option) {
    String name = option.longestName();
    return SLACK_NAMES.getOrDefault(
        name, "SLACKMQ_" + name.substring(2).replace('-', '_').toUpperCase(Locale.ROOT));
  }

  /** The settings of a command: its options and its mixins', less help and actions. */
  static List<OptionSpec> settings(CommandLine.Model.CommandSpec spec) {
    List<OptionSpec> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!NOT_SETTINGS.contains(o.longestName()) && !o.usageHelp() && !o.versionHelp()) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The arguments to parse instead of {@code args}: the same, with values from {@code env} and the
   * config file added right after the subcommand's name for the settings its flags left unset.
   * {@code origins} receives every setting's source.
   */
  static List<String> resolve(
      ParseResult sub, List<String> args, Map<String, String> env, Map<String, Origin> origins) {
    Path file = configFile(sub, env);
    Map<String, Object> values = file == null ? Map.of() : read(sub.commandSpec(), file);
    List<String> extra = new ArrayList<>();
    for (OptionSpec o : settings(sub.commandSpec())) {
      String name = o.longestName();
      if (sub.hasMatchedOption(o)) {
        origins.put(name, new Origin(Source.FLAG, null));
        continue;
      }
      String fromEnv = env.get(envName(o));
      if (fromEnv != null && !fromEnv.isBlank() && o.arity().max() <= 1) {
        add(extra, o, List.of(List.of(fromEnv.trim())));
        origins.put(name, new Origin(Source.ENV, envName(o)));
      } else if (values.containsKey(name)) {
        add(extra, o, values.get(name));
        origins.put(name, new Origin(Source.FILE, file.getFileName() + " " + key(o, file)));
      } else {
        origins.put(name, new Origin(Source.DEFAULT, null));
      }
    }
    if (extra.isEmpty()) {
      return args;
    }
    String command = sub.commandSpec().name();
    int at = args.indexOf(command);
    List<String> out = new ArrayList<>(args.subList(0, at + 1));
    out.addAll(extra);
    out.addAll(args.subList(at + 1, args.size()));
    return out;
  }

  private static Path configFile(ParseResult sub, Map<String, String> env) {
    Path flag = sub.matchedOptionValue("--config", null);
    if (flag != null) {
      return flag;
    }
    String fromEnv = env.get("SLACKMQ_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.trim());
  }

  private static boolean yaml(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static String key(OptionSpec o, Path file) {
    return yaml(file) ? o.longestName().substring(2) : envName(o);
  }

  /** An option's arguments: a flag that is true, or one {@code --name value...} per value. */
  private static void add(List<String> args, OptionSpec o, Object value) {
    @SuppressWarnings("unchecked")
    List<List<String>> occurrences = (List<List<String>>) value;
    for (List<String> values : occurrences) {
      if (o.arity().max() == 0) { // a boolean flag: present when true
        if (Boolean.parseBoolean(values.get(0))) {
          args.add(o.longestName());
        }
        continue;
      }
      args.add(o.longestName());
      args.addAll(values);
    }
  }

  /** The file's values by option name, each as its occurrences' arguments. */
  private static Map<String, Object> read(CommandLine.Model.CommandSpec spec, Path file) {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      if (yaml(file)) {
        JsonNode root = new YAMLMapper().readTree(file.toFile());
        if (root == null || root.isNull()) {
          return out;
        }
        if (!root.isObject()) {
          throw bad(spec, file, "it must be a mapping of option names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          OptionSpec o = spec.findOption("--" + e.getKey());
          if (o == null || !settings(spec).contains(o)) {
            throw bad(spec, file, "unknown key '" + e.getKey() + "' (the keys are option names)");
          }
          out.put(o.longestName(), occurrences(spec, file, o, e.getValue()));
        }
        return out;
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      for (OptionSpec o : settings(spec)) {
        String v = p.getProperty(envName(o));
        if (v != null && !v.isBlank() && o.arity().max() <= 1) {
          out.put(o.longestName(), List.of(List.of(v.trim())));
        }
      }
      return out;
    } catch (IOException e) {
      throw bad(spec, file, e.getMessage());
    }
  }

  /** A YAML value as occurrences: a scalar is one, a list one per item (a pair for arity 2). */
  private static List<List<String>> occurrences(
      CommandLine.Model.CommandSpec spec, Path file, OptionSpec o, JsonNode v) {
    int arity = Math.max(1, o.arity().max());
    List<List<String>> out = new ArrayList<>();
    if (v.isValueNode() && arity == 1) {
      out.add(List.of(v.asText()));
      return out;
    }
    if (!v.isArray() || (!o.isMultiValue() && arity == 1)) {
      throw bad(spec, file, o.longestName().substring(2) + ": " + shape(o));
    }
    for (JsonNode item : (ArrayNode) v) {
      List<String> args = new ArrayList<>();
      if (arity == 1 && item.isValueNode()) {
        args.add(item.asText());
      } else if (arity > 1 && item.isArray() && item.size() == arity) {
        item.forEach(x -> args.add(x.asText()));
      } else {
        throw bad(spec, file, o.longestName().substring(2) + ": " + shape(o));
      }
      out.add(args);
    }
    return out;
  }

  private static String shape(OptionSpec o) {
    int arity = Math.max(1, o.arity().max());
    return arity > 1
        ? "a list of [" + o.paramLabel().replace(" ", ", ") + "] pairs"
        : o.isMultiValue() ? "a value or a list of values" : "one value";
  }

  private static ParameterException bad(CommandLine.Model.CommandSpec spec, Path file, String why) {
    return new ParameterException(spec.commandLine(), "--config " + file + ": " + why);
  }

  /**
   * Prints every setting of {@code spec} (parsed) as a YAML line, {@code name: value # source}:
   * values in JSON form (valid YAML), secrets masked. Saved without the secrets, it is a config
   * file.
   */
  static void print(
      CommandLine.Model.CommandSpec spec, Map<String, Origin> origins, PrintWriter out) {
    ObjectMapper json = new ObjectMapper();
    out.println(
        "# slackmq "
            + spec.name()
            + ": the effective configuration (flag > environment > --config file > default)");
    for (OptionSpec o : settings(spec)) {
      String name = o.longestName();
      Object value = printable(o);
      String text;
      try {
        text = json.writeValueAsString(value);
      } catch (IOException e) {
        text = String.valueOf(value);
      }
      Origin origin = origins.getOrDefault(name, new Origin(Source.DEFAULT, null));
      out.println(name.substring(2) + ": " + text + "  # " + origin);
    }
    out.flush();
  }

  private static Object printable(OptionSpec o) {
    Object v = o.getValue();
    if (v == null && o.longestName().equals("--api-url")) {
      return SlackOptions.SLACK_API; // what an unset URL means
    }
    if (SECRETS.contains(o.longestName())) {
      return v == null ? null : Secrets.mask(v.toString());
    }
    if (v instanceof List<?> list && o.arity().max() > 1) {
      List<List<String>> pairs = new ArrayList<>(); // reply/exec: REGEX TEMPLATE pairs
      for (int i = 0; i + 1 < list.size(); i += 2) {
        pairs.add(List.of(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1))));
      }
      return pairs;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return v == null || v instanceof Boolean || v instanceof Number ? v : v.toString();
  }
}
