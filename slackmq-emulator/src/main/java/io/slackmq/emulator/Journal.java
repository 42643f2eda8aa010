package io.slackmq.emulator;

/**
 * Where committed mutations go before they are applied. {@link #NONE} keeps state in memory only;
 * {@link FileJournal} makes every answered {@code ok} survive a kill -9.
 */
interface Journal extends AutoCloseable {
  Journal NONE =
      new Journal() {
        @Override
        public void append(Mutation mutation) {}

        @Override
        public void close() {}
      };

  /** Makes a mutation durable before it is applied; throws if it cannot. */
  void append(Mutation mutation);

  /** What the journal held when it was opened, oldest first: the state to replay at start. */
  default java.util.List<Mutation> recovered() {
    return java.util.List.of();
  }

  @Override
  void close();
}
