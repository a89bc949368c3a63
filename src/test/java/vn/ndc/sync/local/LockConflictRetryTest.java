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
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                LockConflictRetry.run(
                    "source-setup.sql",
                    5,
                    Duration.ofMillis(1),
                    out,
                    () -> {
                      calls.incrementAndGet();
                      throw new SQLException("ERROR: syntax error", "42601");
                    }))
        .hasMessageContaining("syntax error");
    assertThat(calls).hasValue(1);
  }

  @Test
  void theLastConflictIsThrownWhenAttemptsRunOut() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                LockConflictRetry.run(
                    "source-setup.sql",
                    3,
                    Duration.ofMillis(1),
                    out,
                    () -> {
                      calls.incrementAndGet();
                      throw new SQLException("ERROR: could not obtain lock", "55P03");
                    }))
        .hasMessageContaining("could not obtain lock");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aConflictChainedBehindAnotherErrorCounts() {
    SQLException outer = new SQLException("batch failed", "XX000");
    outer.setNextException(new SQLException("deadlock", "40P01"));
    assertThat(LockConflictRetry.isLockConflict(outer)).isTrue();
    assertThat(LockConflictRetry.isLockConflict(new SQLException("no state"))).isFalse();
  }
}
