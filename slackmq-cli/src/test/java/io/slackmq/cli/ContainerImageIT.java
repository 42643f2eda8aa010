package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image {@code mvn -Pcontainer package} built (target/jib-image.tar, by Jib, no daemon): its
 * config and layers; and, where a container runtime answers and the base has a JVM, the image run.
 * Skipped, with the reason, when the tar was not built ({@code .ci/run} builds it on the empty
 * base, {@code -Djib.from.image=scratch}, as no image registry is reachable there).
 */
class ContainerImageIT {
  private static final Path TAR = Path.of("target", "jib-image.tar");

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? out : null;
  }

  private static JsonNode config() throws Exception {
    assumeTrue(
        Files.isRegularFile(TAR),
        "not run: no " + TAR + " (build it with mvn -Pcontainer package)");
    return new ObjectMapper().readTree(run("tar", "-xOf", TAR.toString(), "config.json"));
  }

  @Test
  void image_runsTheCommand_asNonRoot_withContainerMemoryFlags() throws Exception {
    JsonNode c = config().path("config");
    List<String> entrypoint = new ArrayList<>();
    c.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", Main.class.getName());
    assertThat(c.path("User").asText()).isEqualTo("65532:65532");
    assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
  }

  @Test
  void image_layersHoldTheClasses_theLogConfig_andEveryDependency() throws Exception {
    config();
    JsonNode manifest =
        new ObjectMapper().readTree(run("tar", "-xOf", TAR.toString(), "manifest.json"));
    List<String> files = new ArrayList<>();
    Path layers = Files.createTempDirectory("jib-layers");
    for (JsonNode layer : manifest.get(0).path("Layers")) {
      run("tar", "-xf", TAR.toString(), "-C", layers.toString(), layer.asText());
      files.addAll(run("tar", "-tzf", layers.resolve(layer.asText()).toString()).lines().toList());
    }
    assertThat(files)
        .contains(
            "app/classes/io/slackmq/cli/Main.class",
            "app/resources/logback.xml",
            "app/jib-classpath-file")
        .anyMatch(f -> f.matches("app/libs/slackmq-core-.*\\.jar"))
        .anyMatch(f -> f.matches("app/libs/logstash-logback-encoder-.*\\.jar"));
  }

  @Test
  void image_startsInAContainerRuntime_whereThereIsOne() throws Exception {
    JsonNode cfg = config();
    boolean jvm = false;
    for (JsonNode e : cfg.path("config").path("Env")) {
      jvm |= e.asText().startsWith("JAVA_HOME=");
    }
    assumeTrue(jvm, "not run: the image was built on the empty base (scratch): no JVM inside");
    String runtime = null;
    for (String r : List.of("docker", "podman")) {
      if (runtime == null && run("sh", "-c", "command -v " + r + " && " + r + " info") != null) {
        runtime = r;
      }
    }
    assumeTrue(runtime != null, "not run: no container runtime answers (docker/podman info)");
    String loaded = run(runtime, "load", "-i", TAR.toString());
    assertThat(loaded).isNotNull();
    String out = run(runtime, "run", "--rm", "slackmq:0.1.0-SNAPSHOT", "--version");
    assertThat(out).startsWith("slackmq ");
  }
}
