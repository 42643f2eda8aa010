package io.slackmq.emulator;

/** What the Socket Mode server does on demand for {@link Faults}; set when the emulator starts. */
interface SocketControl {
  /** Sends {@code disconnect} to every open connection of the app (null: of every app). */
  int disconnect(String app, Faults.DisconnectReason reason);

  /** Closes every open connection of the app (null: of every app) without a close frame. */
  int drop(String app);

  /** Before the emulator has a Socket Mode server: nothing to do. */
  SocketControl NONE =
      new SocketControl() {
        @Override
        public int disconnect(String app, Faults.DisconnectReason reason) {
          return 0;
        }

        @Override
        public int drop(String app) {
          return 0;
        }
      };
}
