package io.slackmq.emulator;

/**
 * Where committed mutations go before they are applied. {@link #NONE} keeps state in memory
 * only; {@link FileJournal} makes every answered {@code ok} survive a kill -9.
 */
interface Journal extends AutoCloseable {
  Journal NONE = new Journal() {
    @Override
    public void append(Mutation mutation) {}

    @Override
    public void close() {}
  };

  void append(Mutation mutation);

  @Override
  void close();
}
