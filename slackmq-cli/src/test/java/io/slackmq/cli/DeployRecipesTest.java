package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * The deploy recipes (deploy/, docs/DEPLOY.md) are checked, not just written: the systemd unit's
 * fields and {@code systemd-analyze verify} where it exists, the Kubernetes manifests against the
 * Kubernetes API schema (offline) and the relations that matter (grace period beyond the worker's
 * stop deadline, at most 10 replicas per app, readiness on /readyz), the image's Jib settings, and
 * every command line in them parsed by the real {@code slackmq worker}.
 */
class DeployRecipesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");

  @TempDir Path dir;

  /** The worker's stop deadline as {@code args} set it, else its default. */
  private static Duration stopDeadline(List<String> args) {
    WorkerCommand w = new WorkerCommand();
    new CommandLine(w).parseArgs(args.toArray(String[]::new)); // unknown flags fail here
    return w.stopDeadline;
  }

  /** The {@code [Service]} keys of a unit file (a key given twice keeps its last value). */
  private static Map<String, String> service(Path unit) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(unit)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
        continue;
      }
      if (l.startsWith("[")) {
        section = l;
      } else if (section.equals("[Service]")) {
        out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
      }
    }
    return out;
  }

  @Test
  void systemdUnit_runsUnprivileged_restartsOnFailure_andWaitsLongerThanTheStopDeadline()
      throws Exception {
    Map<String, String> s = service(DEPLOY.resolve("systemd/slackmq-worker.service"));
    assertThat(s.get("User")).isNotBlank().isNotIn("root", "0");
    assertThat(s.get("EnvironmentFile")).isEqualTo("/etc/slackmq/slackmq.env");
    assertThat(s.get("Restart")).isEqualTo("on-failure");
    assertThat(s.get("KillMode"))
        .as("SIGTERM to the JVM only, not its --exec programs")
        .isEqualTo("mixed");
    assertThat(s.get("SuccessExitStatus").split("\\s+"))
        .as("the JVM's exit after SIGTERM")
        .contains("143");
    List<String> exec = Arrays.asList(s.get("ExecStart").split("\\s+"));
    assertThat(exec.get(0)).isEqualTo("/usr/bin/java");
    List<String> args = exec.subList(exec.indexOf("-jar") + 2, exec.size());
    assertThat(args.get(0)).isEqualTo("worker");
    Duration deadline = stopDeadline(args.subList(1, args.size()));
    Duration timeout = Duration.ofSeconds(Long.parseLong(s.get("TimeoutStopSec").replace("s", "")));
    assertThat(timeout)
        .as("TimeoutStopSec vs --stop-deadline")
        .isGreaterThan(deadline.plusSeconds(5));
  }

  @Test
  void systemdUnit_passesSystemdAnalyzeVerify() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "not run: systemd-analyze is not installed here");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/java")),
        "not run: the unit's ExecStart names /usr/bin/java, which this machine lacks");
    Path unit = dir.resolve("slackmq-worker.service");
    Files.copy(DEPLOY.resolve("systemd/slackmq-worker.service"), unit);
    Process p =
        new ProcessBuilder(analyze.toString(), "verify", unit.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // verify exits 0 on settings it ignores, and says so: any word from it is a finding.
    assertThat(out).as("systemd-analyze verify").isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void envExample_namesTheSecrets_withPlaceholdersOnly() throws Exception {
    String env = Files.readString(DEPLOY.resolve("systemd/slackmq.env.example"));
    assertThat(env).contains("SLACK_BOT_TOKEN=", "SLACK_APP_TOKEN=", "SLACK_CHANNEL=", "-m 600");
    assertThat(env).doesNotContainPattern("xox[a-z]-\\d").doesNotContainPattern("xapp-\\d");
  }

  private static List<JsonNode> manifests() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    new YAMLMapper()
        .readerFor(JsonNode.class)
        .readValues(DEPLOY.resolve("k8s/deployment.yaml").toFile())
        .forEachRemaining(d -> docs.add((JsonNode) d));
    return docs;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void kubernetesManifests_matchTheKubernetesApiSchema() throws Exception {
    List<JsonNode> docs = manifests();
    assertThat(docs)
        .extracting(d -> d.path("kind").asText())
        .containsExactly("Secret", "ConfigMap", "Deployment");
    ObjectMapper json = new ObjectMapper();
    V1Secret.validateJsonElement(JsonParser.parseString(json.writeValueAsString(docs.get(0))));
    V1ConfigMap.validateJsonElement(JsonParser.parseString(json.writeValueAsString(docs.get(1))));
    String deployment = json.writeValueAsString(docs.get(2));
    V1Deployment.validateJsonElement(JsonParser.parseString(deployment));
    // The validator does check: a misspelt field deep in the pod spec is refused.
    String typo =
        deployment.replace("\"terminationGracePeriodSeconds\"", "\"terminationGracePeriod\"");
    assertThatThrownBy(() -> V1Deployment.validateJsonElement(JsonParser.parseString(typo)))
        .hasMessageContaining("terminationGracePeriod");
  }

  @Test
  void kubernetesDeployment_secretTokens_readinessOnReadyz_graceBeyondTheDeadline_tenPerApp()
      throws Exception {
    List<JsonNode> docs = manifests();
    JsonNode secret = kind(docs, "Secret");
    assertThat(secret.path("stringData").has("SLACK_BOT_TOKEN")).isTrue();
    assertThat(secret.path("stringData").has("SLACK_APP_TOKEN")).isTrue();
    JsonNode spec = kind(docs, "Deployment").path("spec");
    int replicas = spec.path("replicas").asInt();
    int surge = spec.path("strategy").path("rollingUpdate").path("maxSurge").asInt(1);
    assertThat(replicas + surge)
        .as("Slack allows 10 Socket Mode connections per app")
        .isLessThanOrEqualTo(10);
    JsonNode pod = spec.path("template").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
    JsonNode c = pod.path("containers").get(0);
    assertThat(c.path("envFrom").get(0).path("secretRef").path("name").asText())
        .isEqualTo(secret.path("metadata").path("name").asText());
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args.get(0)).isEqualTo("worker");
    int port = c.path("ports").get(0).path("containerPort").asInt();
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(c.path("readinessProbe").path("httpGet").path("port").asText())
        .isEqualTo(c.path("ports").get(0).path("name").asText());
    int http = args.indexOf("--http-port");
    assertThat(http).as("the worker serves /readyz on --http-port").isPositive();
    assertThat(args.get(http + 1)).isEqualTo(String.valueOf(port));
    List<String> workerArgs = new ArrayList<>(args.subList(1, args.size()));
    if (new CommandLine(new WorkerCommand()).getCommandSpec().findOption("--http-port") == null) {
      workerArgs.subList(http - 1, http + 1).clear(); // the metrics change adds --http-port
    }
    Duration deadline = stopDeadline(workerArgs);
    assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
        .isGreaterThan(deadline.plusSeconds(5));
  }

  @Test
  void theWorkerConfigs_inDeployAndTheConfigMap_areValidWorkerSettings() throws Exception {
    Path cm = dir.resolve("configmap-worker.yaml");
    Files.writeString(cm, kind(manifests(), "ConfigMap").path("data").path("worker.yaml").asText());
    for (Path file : List.of(DEPLOY.resolve("worker.yaml"), cm)) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Main.commandLine(Map.of());
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err));
      assertThat(cl.execute("worker", "--config", file.toString(), "--print-config"))
          .as(file + ": " + err)
          .isZero();
      assertThat(out.toString()).contains("reply: [[\"^hostname$\",\"I am running on {worker}\"]]");
    }
  }

  private static Element child(Element e, String name) {
    NodeList l = e.getChildNodes();
    for (int i = 0; i < l.getLength(); i++) {
      if (l.item(i) instanceof Element c && c.getTagName().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no <" + name + "> in <" + e.getTagName() + ">");
  }

  @Test
  void containerImage_jibSettings_nonRootUser_containerMemoryFlags_theCommandsMainClass()
      throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile());
    NodeList profiles = pom.getElementsByTagName("profile");
    Element jib = null;
    for (int i = 0; i < profiles.getLength(); i++) {
      Element p = (Element) profiles.item(i);
      if (child(p, "id").getTextContent().equals("container")) {
        jib = (Element) p.getElementsByTagName("plugin").item(0);
      }
    }
    assertThat(jib).as("profile container").isNotNull();
    assertThat(child(jib, "artifactId").getTextContent()).isEqualTo("jib-maven-plugin");
    Element cfg = child(jib, "configuration");
    assertThat(child(child(cfg, "from"), "image").getTextContent())
        .matches("eclipse-temurin:(1[7-9]|[2-9]\\d)-jre");
    Element container = child(cfg, "container");
    assertThat(child(container, "mainClass").getTextContent()).isEqualTo(Main.class.getName());
    String user = child(container, "user").getTextContent();
    assertThat(user.split(":")[0]).isNotIn("0", "root");
    List<String> flags = new ArrayList<>();
    NodeList f = child(container, "jvmFlags").getElementsByTagName("jvmFlag");
    for (int i = 0; i < f.getLength(); i++) {
      flags.add(f.item(i).getTextContent());
    }
    assertThat(flags).anyMatch(x -> x.startsWith("-XX:MaxRAMPercentage="));
    assertThat(flags).noneMatch(x -> x.startsWith("-Xmx")); // a fixed heap ignores the limit
    Node goal = child(child(child(jib, "executions"), "execution"), "goals");
    assertThat(goal.getTextContent().strip()).isEqualTo("buildTar"); // no daemon, no registry push
  }
}
