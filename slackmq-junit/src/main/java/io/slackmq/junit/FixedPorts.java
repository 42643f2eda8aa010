package io.slackmq.junit;

import io.slackmq.emulator.Emulator;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts emulators, and keeps two local Slacks of one JVM off the same fixed port with a message
 * that names both owners (Jetty's own failure would say only "port in use").
 */
final class FixedPorts {
  /** Fixed ports taken by a running local Slack of this JVM, and by whom. */
  private static final Map<Integer, String> TAKEN = new ConcurrentHashMap<>();

  private FixedPorts() {}

  /**
   * Starts {@code builder}'s emulator on {@code port} (0: a free one) for {@code owner}.
   *
   * @throws IllegalStateException naming the port and its holder when it is taken
   */
  static Emulator start(Emulator.Builder builder, int port, String owner) {
    if (port != 0) {
      String holder = TAKEN.putIfAbsent(port, owner);
      if (holder != null) {
        throw new IllegalStateException(
            "port "
                + port
                + " is already taken by the local Slack of "
                + holder
                + ": two local Slacks cannot share one port. Give the one of "
                + owner
                + " another port, or port 0 (the default), which picks a free one.");
      }
    }
    try {
      return builder.start();
    } catch (RuntimeException e) {
      release(port);
      if (port != 0 && (causedBy(e, BindException.class) || e.toString().contains("Bind"))) {
        throw new IllegalStateException(
            "the local Slack of "
                + owner
                + " cannot listen on port "
                + port
                + ": another process uses it. Use port 0 (the default), which picks a free one.",
            e);
      }
      throw e;
    }
  }

  static void release(int port) {
    if (port != 0) {
      TAKEN.remove(port);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
