package vn.ndc.sync.capture;

import java.util.Map;

/**
 * Tells whether a source offset may be committed as the point a capture resumes from.
 *
 * <p>A binlog connector's offset inside a transaction names the transaction's start plus the events
 * and rows already emitted ({@code event}, {@code row}); resuming there, it skips them but numbers
 * the remaining changes from 1 again ({@code transaction.total_order}), so a later change would
 * carry the version of an earlier one and be dropped as its redelivery. Committing only offsets
 * between transactions makes a restart replay a whole transaction with its original numbering: the
 * replayed changes are exact redeliveries, which the job drops. PostgreSQL offsets (LSNs) carry
 * neither key and are always resumable.
 */
public final class ResumePoint {

  private ResumePoint() {}

  /** True when the offset lies between transactions (or is not a binlog offset). */
  public static boolean isBetweenTransactions(Map<String, ?> offset) {
    return offset == null || (isZero(offset.get("event")) && isZero(offset.get("row")));
  }

  private static boolean isZero(Object value) {
    return value == null || (value instanceof Number n && n.longValue() == 0);
  }
}
