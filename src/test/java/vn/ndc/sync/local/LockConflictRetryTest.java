package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LockConflictRetryTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void aDeadlockedSetupRunsAgainAndSucceeds() throws SQLException {
    AtomicInteger calls = new AtomicInteger();
    LockConflictRetry.run(
        "source-setup.sql",
        5,
        Duration.ofMillis(1),
        out,
        () -> {
          if (calls.incrementAndGet() < 3) {
            throw new SQLException("ERROR: deadlock detected", "40P01");
          }
        });
    assertThat(calls).hasValue(3);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("source-setup.sql: aborted by a lock conflict")
        .contains("40P01")
        .contains("(3/5)");
  }

  @Test
  void otherErrorsAreNotRetried() {
    assertThat(callsUntilThrown(5, new SQLException("ERROR: syntax error", "42601"))).isEqualTo(1);
  }

  @Test
  void theLastConflictIsThrownWhenAttemptsRunOut() {
    assertThat(callsUntilThrown(3, new SQLException("ERROR: could not obtain lock", "55P03")))
        .isEqualTo(3);
  }

  /** How often work that always fails with {@code error} ran before the retry gave up. */
  private int callsUntilThrown(int attempts, SQLException error) {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                LockConflictRetry.run(
                    "source-setup.sql",
                    attempts,
                    Duration.ofMillis(1),
                    out,
                    () -> {
                      calls.incrementAndGet();
                      throw error;
                    }))
        .isSameAs(error);
    return calls.get();
  }

  @Test
  void aConflictChainedBehindAnotherErrorCounts() {
    SQLException outer = new SQLException("batch failed", "XX000");
    outer.setNextException(new SQLException("deadlock", "40P01"));
    assertThat(LockConflictRetry.isLockConflict(outer)).isTrue();
    assertThat(LockConflictRetry.isLockConflict(new SQLException("no state"))).isFalse();
  }
}
