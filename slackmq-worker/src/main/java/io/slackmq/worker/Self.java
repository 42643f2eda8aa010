package io.slackmq.worker;

/** Who this worker's bot is, learnt from {@code auth.test} at start. */
final class Self {
  private volatile String userId;
  private volatile String botId;

  void learn(String userId, String botId) {
    this.userId = userId;
    this.botId = botId;
  }

  /** The bot's user id (mentions, approvals); null before start. */
  String userId() {
    return userId;
  }

  /** Whether this bot posted {@code m}: our replies and ledger entries never trigger us. */
  boolean wrote(Incoming m) {
    return (botId != null && botId.equals(m.botId()))
        || (userId != null && userId.equals(m.user()));
  }
}
