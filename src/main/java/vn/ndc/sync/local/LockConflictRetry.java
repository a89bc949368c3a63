package vn.ndc.sync.local;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/**
 * Runs idempotent setup SQL again when the database aborted it over a lock conflict (a deadlock
 * with autovacuum, say), which says nothing about the script and passes on its own.
 */
final class LockConflictRetry {

  /** Deadlock detected, serialization failure, lock not available (PostgreSQL and MariaDB). */
  private static final Set<String> LOCK_CONFLICTS = Set.of("40P01", "40001", "55P03");

  /** Work against a database that may be aborted by a lock conflict. */
  @FunctionalInterface
  interface SqlWork {
    void run() throws SQLException;
  }

  private LockConflictRetry() {}

  /** True when {@code e}, or an exception it chains, is a lock conflict. */
  static boolean isLockConflict(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null && LOCK_CONFLICTS.contains(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code work}, again after a growing pause each time a lock conflict aborts it, at most
   * {@code attempts} times in all; any other error, or the last conflict, is thrown.
   */
  static void run(String what, int attempts, Duration pause, PrintStream out, SqlWork work)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        work.run();
        return;
      } catch (SQLException e) {
        if (attempt >= attempts || !isLockConflict(e)) {
          throw e;
        }
        out.printf(
            "%s: aborted by a lock conflict (%s, SQLSTATE %s); running it again (%d/%d)%n",
            what,
            e.getMessage().lines().findFirst().orElse(""),
            e.getSQLState(),
            attempt + 1,
            attempts);
        try {
          Thread.sleep(pause.toMillis() * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
