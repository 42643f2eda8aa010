package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Settings in one place: flag, then environment, then the {@code --config} file (YAML or
 * KEY=VALUE), then default; {@code worker --print-config} shows each with its source, secrets
 * masked. In-process: the command line as {@code main} builds it, with an environment of our own.
 */
class ConfigTest {
  private static final String TOKEN = "xoxb-1111-2222-secretsecretsecret";
  private static final String APP_TOKEN = "xapp-1-A0001-2222-appsecretappsecret";

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(env);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static List<String> lines(Result r) {
    return new ArrayList<>(r.out().lines().toList());
  }

  @Test
  void printConfig_showsEverySettingWithItsSource_andMasksSecrets() throws Exception {
    Path yaml =
        file(
            "worker.yaml",
            """
            # a worker's settings
            token: %s
            strategy: reaction
            ttl: PT2M
            reply:
              - ["^hostname$", "I am running on {worker}"]
              - ["^uptime$", "up"]
            allow-user: [U0ALICE, U0BOB]
            allow-bots: true
            dead-letter-channel: C0DEAD
            log-format: json
            """
                .formatted(TOKEN));
    Result r =
        run(
            Map.of("SLACKMQ_TTL", "PT5M", "SLACK_APP_TOKEN", APP_TOKEN),
            "worker",
            "--config",
            yaml.toString(),
            "--channel",
            "C0FLAG",
            "--print-config");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(lines(r))
        .contains(
            "channel: \"C0FLAG\"  # flag",
            "ttl: \"PT5M\"  # env SLACKMQ_TTL",
            "strategy: \"reaction\"  # file worker.yaml strategy",
            "reply: [[\"^hostname$\",\"I am running on {worker}\"],[\"^uptime$\",\"up\"]]  # file"
                + " worker.yaml reply",
            "allow-user: [\"U0ALICE\",\"U0BOB\"]  # file worker.yaml allow-user",
            "allow-bots: true  # file worker.yaml allow-bots",
            "dead-letter-channel: \"C0DEAD\"  # file worker.yaml dead-letter-channel",
            "log-format: \"json\"  # file worker.yaml log-format",
            "max-attempts: 3  # default",
            "token: \"xoxb-…cret\"  # file worker.yaml token",
            "app-token: \"xapp-…cret\"  # env SLACK_APP_TOKEN",
            "signing-secret: null  # default");
    assertThat(r.out()).doesNotContain("secretsecret", "appsecret");
    // every setting of the command is listed, once
    var spec = new CommandLine(new WorkerCommand()).getCommandSpec();
    assertThat(lines(r).subList(1, lines(r).size())).hasSameSizeAs(Config.settings(spec));
  }

  @Test
  void aFlag_beatsTheEnvironment_whichBeatsTheFile() throws Exception {
    Path yaml = file("w.yml", "ttl: PT2M\nmax-attempts: 7\nthreads: 2\n");
    Result r =
        run(
            Map.of("SLACKMQ_TTL", "PT5M", "SLACKMQ_MAX_ATTEMPTS", "5"),
            "worker",
            "--config",
            yaml.toString(),
            "--ttl",
            "PT10S",
            "--print-config");
    assertThat(lines(r))
        .contains(
            "ttl: \"PT10S\"  # flag",
            "max-attempts: 5  # env SLACKMQ_MAX_ATTEMPTS",
            "threads: 2  # file w.yml threads");
  }

  @Test
  void aKeyValueFile_usesTheEnvironmentsNames_andSlackmqConfigNamesIt() throws Exception {
    Path env =
        file(
            "slack.env",
            "SLACK_API_URL=http://127.0.0.1:9/api/\nSLACK_BOT_TOKEN="
                + TOKEN
                + "\nSLACK_CHANNEL=C0ENV\nSLACKMQ_MAX_ATTEMPTS=4\nSLACK_USER_ID_ALICE=U1\n");
    Result r = run(Map.of("SLACKMQ_CONFIG", env.toString()), "worker", "--print-config");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(lines(r))
        .contains(
            "channel: \"C0ENV\"  # file slack.env SLACK_CHANNEL",
            "max-attempts: 4  # file slack.env SLACKMQ_MAX_ATTEMPTS",
            "api-url: \"http://127.0.0.1:9/api/\"  # file slack.env SLACK_API_URL");
    assertThat(r.out()).doesNotContain(TOKEN);
  }

  @Test
  void aBadFile_saysWhatIsWrong_andExits2() throws Exception {
    String[][] cases = {
      {"typo.yaml", "ttll: PT1M\n", "unknown key 'ttll'"},
      {"shape.yaml", "reply: hostname\n", "reply: a list of [REGEX, TEMPLATE] pairs"},
      {"list.yaml", "- ttl\n", "it must be a mapping"},
      {"value.yaml", "ttl: soon\n", "--ttl"},
    };
    for (String[] c : cases) {
      Result r = run(Map.of(), "worker", "--config", file(c[0], c[1]).toString(), "--print-config");
      assertThat(r.code()).as(c[0] + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(c[0]).contains(c[2]);
    }
    Result missing = run(Map.of(), "worker", "--config", dir.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--config", "nope.yaml");
  }

  @Test
  void listenersFromTheFile_runLikeFlags_andFlagsReplaceThem() throws Exception {
    Path yaml = file("l.yaml", "reply:\n  - [\"^a$\", \"from the file\"]\n");
    Result r =
        run(
            Map.of(),
            "worker",
            "--config",
            yaml.toString(),
            "--reply",
            "^b$",
            "from a flag",
            "--print-config");
    assertThat(lines(r)).contains("reply: [[\"^b$\",\"from a flag\"]]  # flag");
  }

  @Test
  void maskTokens_masksEveryTokenShape_inAnyText() {
    assertThat(Secrets.maskTokens("auth with " + TOKEN + " and " + APP_TOKEN + "."))
        .isEqualTo("auth with xoxb-…cret and xapp-…cret.");
    assertThat(Secrets.maskTokens("user xoxp-123-456-789-abcdef0123 ok"))
        .isEqualTo("user xoxp-…0123 ok");
    assertThat(Secrets.maskTokens("no token here, xoxo")).isEqualTo("no token here, xoxo");
    assertThat(Secrets.maskTokens(null)).isNull();
  }
}
