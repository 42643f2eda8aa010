package io.slackmq.emulator;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of {@link Mutation}s in {@code <data-dir>/journal.jsonl}, one JSON object
 * per line with a {@code "type"} discriminator (the record's simple name).
 *
 * <p>Durability: {@link #append} writes the line and {@code force}s it to the device before it
 * returns, and {@link Workspace#commit} appends before it applies, so a call that was answered
 * {@code ok} is on disk even if the process is killed the next instant. A crash in the middle of a
 * write leaves a torn last line; {@link #open} drops it with a warning (its caller was never
 * answered). Damage before the last line is not a crash artefact, and refuses to start.
 */
final class FileJournal implements Journal {
  static final String FILE_NAME = "journal.jsonl";
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
  private static final ObjectMapper MAPPER = mapper();
  private static final ObjectWriter WRITER = MAPPER.writerFor(Mutation.class);
  private static final ObjectReader READER = MAPPER.readerFor(Mutation.class);

  private final Path file;
  private final FileChannel channel;
  private final List<Mutation> recovered;
  private long size;
  private boolean broken;

  private FileJournal(Path file, FileChannel channel, List<Mutation> recovered, long size) {
    this.file = file;
    this.channel = channel;
    this.recovered = recovered;
    this.size = size;
  }

  /**
   * Opens (or creates) the journal of a data directory and reads what it holds.
   *
   * @throws IllegalStateException if the journal is damaged other than by a torn last line, or
   *     another emulator holds it
   * @throws UncheckedIOException if the directory or file cannot be created or read
   */
  static FileJournal open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      boolean created = !Files.exists(file);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (created) {
        forceDirectory(dataDir); // the new file's directory entry must survive a crash too
      }
      lockExclusively(file, ch);
      try {
        // Read through the locked channel: closing any other channel of this process on the
        // file (Files.readAllBytes opens and closes one) would release the POSIX lock, and a
        // second emulator could then open the same journal.
        byte[] bytes = readAll(ch);
        List<Mutation> mutations = new ArrayList<>();
        long good = parse(file, bytes, mutations);
        if (good < bytes.length) {
          log.warn(
              "journal {}: dropping a torn tail of {} bytes after {} mutations (a crash"
                  + " during a write; that write was never acknowledged)",
              file,
              bytes.length - good,
              mutations.size());
          ch.truncate(good);
          ch.force(true);
        }
        return new FileJournal(file, ch, List.copyOf(mutations), good);
      } catch (IOException | RuntimeException e) {
        ch.close(); // releases the lock
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open journal " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Mutation> recovered() {
    return recovered;
  }

  /**
   * Appends one mutation and forces it to the device.
   *
   * @throws UncheckedIOException if it could not be made durable; the file is cut back to what it
   *     was, so the journal stays a clean sequence of lines (the mutation must not be applied)
   */
  @Override
  public synchronized void append(Mutation mutation) {
    if (broken) {
      throw new IllegalStateException("journal " + file + " failed earlier; restart the emulator");
    }
    byte[] line = line(mutation);
    try {
      ByteBuffer buf = ByteBuffer.wrap(line);
      long at = size;
      while (buf.hasRemaining()) {
        at += channel.write(buf, at);
      }
      channel.force(false);
      size = at;
    } catch (IOException e) {
      try {
        channel.truncate(size);
      } catch (IOException again) {
        broken = true; // a partial line may remain: appending after it would bury it mid-file
      }
      throw new UncheckedIOException("journal " + file + ": write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("journal {}: close failed", file, e);
    }
  }

  static byte[] line(Mutation mutation) {
    try {
      byte[] json = WRITER.writeValueAsBytes(mutation);
      byte[] line = new byte[json.length + 1];
      System.arraycopy(json, 0, line, 0, json.length);
      line[json.length] = '\n';
      return line;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + mutation.getClass().getSimpleName(), e);
    }
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("journal too large to replay (" + size + " bytes)");
    }
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) size);
    while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
      // read until the whole file is in
    }
    return buf.array();
  }

  /** Parses whole lines into {@code out}; returns the length of the good prefix of the file. */
  private static long parse(Path file, byte[] bytes, List<Mutation> out) {
    int start = 0;
    int lineNo = 0;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        return start; // no newline: the last write was cut short
      }
      lineNo++;
      try {
        out.add(READER.readValue(bytes, start, end - start));
      } catch (IOException | RuntimeException e) {
        if (onlyDamageFollows(bytes, end + 1)) {
          return start; // a last line that reached the disk as garbage (e.g. zeros): torn too
        }
        // Not the parser's message: it may quote the line, and lines hold tokens.
        throw new IllegalStateException(
            "journal "
                + file
                + " is damaged at line "
                + lineNo
                + " (not a mutation: "
                + e.getClass().getSimpleName()
                + "), and valid lines follow"
                + " it: this is not a torn write. Move the data directory aside to start afresh.");
      }
      start = end + 1;
    }
    return start;
  }

  private static boolean onlyDamageFollows(byte[] bytes, int from) {
    int start = from;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      int stop = end < 0 ? bytes.length : end;
      try {
        READER.readValue(bytes, start, stop - start);
        return false;
      } catch (IOException | RuntimeException e) {
        start = stop + 1;
      }
    }
    return true;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Two emulators appending to one journal would interleave lines; the OS drops the lock on exit.
   */
  private static void lockExclusively(Path file, FileChannel ch) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IllegalStateException(
          "journal "
              + file
              + " is in use by another emulator;"
              + " give each emulator its own data directory");
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; the file itself is still forced.
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private static ObjectMapper mapper() {
    ObjectMapper m = Json.MAPPER.copy();
    m.addMixIn(Mutation.class, TypeByName.class);
    for (Class<?> type : Mutation.class.getPermittedSubclasses()) {
      m.registerSubtypes(new NamedType(type, type.getSimpleName()));
    }
    return m;
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  private interface TypeByName {}

  @Override
  public String toString() {
    return "FileJournal[" + file + "]";
  }
}
