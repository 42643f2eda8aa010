package io.slackmq.emulator;

/**
 * What a reader sees of what was written, and what becomes of a post: linearizable (every write
 * visible to every reader at once, every post stored once) unless the consistency faults say
 * otherwise. Called under the workspace lock: must not block.
 */
interface Consistency {
  /** What happens to a post answered {@code ok}. */
  enum Fate {
    STORED,
    /** Answered ok, never stored (Slack's burst warning). */
    LOST,
    /** Stored twice with two ts (a client retry Slack applied twice). */
    DUPLICATED
  }

  boolean visible(String reader, String channel, Message m, long nowMicros);

  Fate fate(String channel, long nowMicros);

  Consistency LINEARIZABLE =
      new Consistency() {
        @Override
        public boolean visible(String reader, String channel, Message m, long nowMicros) {
          return true;
        }

        @Override
        public Fate fate(String channel, long nowMicros) {
          return Fate.STORED;
        }
      };
}
