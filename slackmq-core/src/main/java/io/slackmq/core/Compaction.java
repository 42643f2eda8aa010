package io.slackmq.core;

import java.util.List;

/**
 * Which old ledger entries a won claim may delete ({@link LockClient.Builder#compactLedger}), and
 * in which order: docs/PROTOCOL.md, "Compaction".
 */
final class Compaction {
  private Compaction() {}

  /**
   * How many of the oldest {@code entries} may be deleted once the claim stamped {@code claimTs}
   * holds: the longest run of entries older than it in which every claim (first copy) became the
   * holder, every claim id has all its entries, and after which no lease is live at the next entry
   * kept (or at {@code claimTs}). Deleted in ts order, after the copies of claims stored twice
   * ({@link #compactionOrder}), every reader that sees a prefix of the deletions folds the same
   * holder from there on; only the attempt count can differ. Entries must be in ts order.
   */
  static int compactable(List<Ledger.Entry> entries, long claimTs) {
    java.util.Map<String, Integer> lastIndex = new java.util.HashMap<>();
    int n = 0;
    for (; n < entries.size() && entries.get(n).ts() < claimTs; n++) {
      lastIndex.put(entries.get(n).id(), n);
    }
    java.util.Set<String> claims = new java.util.HashSet<>();
    int best = 0;
    int reach = -1; // the last index of any claim id seen so far
    for (int i = 0; i < n; i++) {
      Ledger.Entry e = entries.get(i);
      reach = Math.max(reach, lastIndex.get(e.id()));
      Ledger.State s = Ledger.fold(entries.subList(0, i + 1));
      if (e.op() == Ledger.Op.CLAIM && claims.add(e.id()) && !s.heldBy(e.id())) {
        break; // a claim that lost: without its rival's entries a reader would make it the holder
      }
      long next = i + 1 < n ? entries.get(i + 1).ts() : claimTs;
      if (reach == i && !s.liveAt(next)) {
        best = i + 1;
      }
    }
    return best;
  }

  /**
   * The order in which to delete the first {@code n} entries: the copies of claims stored twice
   * first (a reader that still sees the first copy ignores them), then the rest oldest first.
   */
  static List<Ledger.Entry> compactionOrder(List<Ledger.Entry> entries, int n) {
    List<Ledger.Entry> copies = new java.util.ArrayList<>();
    List<Ledger.Entry> rest = new java.util.ArrayList<>();
    java.util.Set<String> claims = new java.util.HashSet<>();
    for (Ledger.Entry e : entries.subList(0, n)) {
      (e.op() == Ledger.Op.CLAIM && !claims.add(e.id()) ? copies : rest).add(e);
    }
    copies.addAll(rest);
    return copies;
  }
}
