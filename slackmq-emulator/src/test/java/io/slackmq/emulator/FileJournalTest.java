package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slackmq.emulator.Mutation.ChannelCreated;
import io.slackmq.emulator.Mutation.MemberJoined;
import io.slackmq.emulator.Mutation.TeamCreated;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
  @TempDir Path dir;

  @Test
  void append_everyMutationType_roundTripsThroughTheFile() throws Exception {
    List<Mutation> all = new ArrayList<>();
    for (Class<?> type : Mutation.class.getPermittedSubclasses()) {
      all.add(sample(type));
    }
    try (FileJournal journal = FileJournal.open(dir)) {
      all.forEach(journal::append);
    }
    try (FileJournal journal = FileJournal.open(dir)) {
      assertThat(journal.recovered()).containsExactlyElementsOf(all);
    }
    assertThat(Files.readAllLines(dir.resolve(FileJournal.FILE_NAME)).get(0))
        .startsWith("{\"type\":\"");
  }

  @Test
  void open_tornLastLine_isTruncatedAndAppendingContinues() throws Exception {
    try (FileJournal journal = FileJournal.open(dir)) {
      journal.append(new TeamCreated("T1", "t", "t"));
    }
    Path file = dir.resolve(FileJournal.FILE_NAME);
    long good = Files.size(file);
    byte[] half = FileJournal.line(new TeamCreated("T2", "u", "u"));
    Files.write(file, java.util.Arrays.copyOf(half, half.length / 2), StandardOpenOption.APPEND);

    try (FileJournal journal = FileJournal.open(dir)) {
      assertThat(journal.recovered()).containsExactly(new TeamCreated("T1", "t", "t"));
      assertThat(Files.size(file)).isEqualTo(good);
      journal.append(new TeamCreated("T3", "v", "v"));
    }
    try (FileJournal journal = FileJournal.open(dir)) {
      assertThat(journal.recovered())
          .extracting(m -> ((TeamCreated) m).id())
          .containsExactly("T1", "T3");
    }
  }

  @Test
  void open_garbageLastLineWithNewline_isTreatedAsTorn() throws Exception {
    try (FileJournal journal = FileJournal.open(dir)) {
      journal.append(new TeamCreated("T1", "t", "t"));
    }
    // What a crash can leave on some file systems: the length grew, the data did not arrive.
    Files.write(
        dir.resolve(FileJournal.FILE_NAME), new byte[] {0, 0, 0, '\n'}, StandardOpenOption.APPEND);
    try (FileJournal journal = FileJournal.open(dir)) {
      assertThat(journal.recovered()).hasSize(1);
    }
  }

  @Test
  void open_damageBeforeValidLines_refusesToStart() throws Exception {
    Path file = dir.resolve(FileJournal.FILE_NAME);
    Files.writeString(
        file,
        new String(FileJournal.line(new TeamCreated("T1", "t", "t")), StandardCharsets.UTF_8)
            + "{\"botToken\": xoxb-123-secret}\n"
            + new String(FileJournal.line(new MemberJoined("C1", "U1")), StandardCharsets.UTF_8));
    assertThatThrownBy(() -> FileJournal.open(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("damaged at line 2")
        .hasMessageNotContaining("xoxb-123-secret")
        .hasMessageContaining(file.toString());
  }

  @Test
  void open_twiceOnOneDirectory_isRefused() {
    try (FileJournal first = FileJournal.open(dir)) {
      first.append(new ChannelCreated("C1", "T1", "ops", false, "U1", 1));
      assertThatThrownBy(() -> FileJournal.open(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another emulator");
    }
  }

  /** A mutation of the given type with a value for every component (so every field is checked). */
  private static Mutation sample(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      Class<?> t = components[i].getType();
      types[i] = t;
      if (t == String.class) {
        args[i] = components[i].getName() + "-\"quoted\"\n\u00e9";
      } else if (t == long.class || t == Long.class) {
        args[i] = 1_700_000_000_123_456L + i;
      } else if (t == int.class || t == Integer.class) {
        args[i] = 40 + i;
      } else if (t == boolean.class || t == Boolean.class) {
        args[i] = true;
      } else if (t == List.class) {
        args[i] = List.of("a", "b");
      } else {
        throw new AssertionError("add a sample value for " + t + " in " + type);
      }
    }
    return (Mutation) type.getDeclaredConstructor(types).newInstance(args);
  }

  @Test
  void aWellFormedLineNamingAnUnknownChannel_stopsTheStartWithTheFileAndLine(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.write(
        data.resolve(FileJournal.FILE_NAME),
        FileJournal.line(
            new Mutation.MessagePosted(
                "C0NOWHERE", 1_700_000_000_000_000L, "U1", null, null, "hi", null, false, null)));
    assertThatThrownBy(() -> Emulator.builder().dataDir(data).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(data.resolve(FileJournal.FILE_NAME).toString())
        .hasMessageContaining("line 1 (MessagePosted)")
        .hasMessageContaining("no channel C0NOWHERE");
  }
}
