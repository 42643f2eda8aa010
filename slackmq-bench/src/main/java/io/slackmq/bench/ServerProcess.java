package io.slackmq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/** A benchmarked server as a child process on this machine: its start-up, its stop, its files. */
final class ServerProcess {
  private ServerProcess() {}

  /** A readiness check of a starting server. */
  interface Check {
    boolean ok() throws IOException, InterruptedException;
  }

  /** This JVM's java launcher, for the server processes. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits (up to a minute) until {@code ready}; fails if the server exits first. */
  static void waitFor(Check ready, Process server, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!ready.ok()) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("server did not start; its output is in " + log);
      }
      Thread.sleep(100); // polling a child process's start-up, not a test
    }
  }

  /** Stops {@code p} (forcibly after 10 s); keeps the thread's interrupt status. */
  static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes a file or a directory with all it holds; reports what it could not. */
  static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
