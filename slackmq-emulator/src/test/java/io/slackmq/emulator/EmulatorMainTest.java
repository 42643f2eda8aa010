package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorMainTest {
  @TempDir Path dir;

  @Test
  void run_printsTokensAndWritesEnvFileOwnerOnly() throws Exception {
    Path envFile = dir.resolve("sub").resolve("slack.env");
    Emulator.Builder builder = Emulator.builder();
    assertThat(
            EmulatorMain.parse(
                List.of(
                    "--port",
                    "0",
                    "--rate-limits",
                    "off",
                    "--time-scale",
                    "60",
                    "--seed",
                    "3",
                    "--env-file",
                    envFile.toString()),
                builder))
        .isEqualTo(envFile);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Emulator slack =
        EmulatorMain.run(builder, envFile, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      Map<String, String> env = slack.env();
      assertThat(DurabilityTest.readEnv(envFile)).isEqualTo(env);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed)
          .contains(
              slack.apiUrl(),
              env.get("SLACK_BOT_TOKEN_SLACKMQ_B"),
              env.get("SLACK_APP_TOKEN"),
              env.get("SLACK_SIGNING_SECRET"),
              env.get("SLACK_USER_TOKEN_ALICE"),
              env.get("SLACK_CHANNEL_OPS"));
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)))
            .isEqualTo("rw-------");
      }
      try (var files = Files.list(envFile.getParent())) {
        assertThat(files).containsExactly(envFile); // no temp file left behind
      }
    }
  }

  @Test
  void parse_badArguments_sayWhichAndWhy() {
    assertThatThrownBy(() -> EmulatorMain.parse(List.of("--prot", "1"), Emulator.builder()))
        .hasMessage("unknown option --prot");
    assertThatThrownBy(() -> EmulatorMain.parse(List.of("--port"), Emulator.builder()))
        .hasMessage("--port needs a value");
    assertThatThrownBy(() -> EmulatorMain.parse(List.of("--port", "x"), Emulator.builder()))
        .hasMessageContaining("--port must be a whole number");
    assertThatThrownBy(() -> EmulatorMain.parse(List.of("--port", "70000"), Emulator.builder()))
        .hasMessageContaining("port must be 0..65535");
    assertThatThrownBy(
            () -> EmulatorMain.parse(List.of("--rate-limits", "custom"), Emulator.builder()))
        .hasMessageContaining("off or slack");
    assertThatThrownBy(() -> EmulatorMain.parse(List.of("--time-scale", "0"), Emulator.builder()))
        .hasMessageContaining("time scale must be > 0");
    assertThatThrownBy(
            () ->
                EmulatorMain.parse(
                    List.of("--config", dir.resolve("no.json").toString()), Emulator.builder()))
        .hasMessageContaining("no.json does not exist");
  }
}
