package io.slackmq.emulator;

import io.slackmq.emulator.Mutation.MessagePosted;

/** Posts messages straight into the workspace (as chat.postMessage would commit them). */
final class Posts {
  private Posts() {}

  /** Posts {@code text} as the named human or app in the first channel; returns the ts. */
  static long post(Emulator emulator, String author, String text) {
    Workspace ws = emulator.workspace();
    return ws.locked(
        () -> {
          Channel ch = ws.channels().iterator().next();
          User user =
              ws.users().stream().filter(u -> u.name.equals(author)).findFirst().orElseThrow();
          long ts = ws.nextTs(ch);
          ws.commit(
              new MessagePosted(
                  ch.id, ts, user.id, user.botId, user.appId, text, null, false, null));
          return ts;
        });
  }
}
