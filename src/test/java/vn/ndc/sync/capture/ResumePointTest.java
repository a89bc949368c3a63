package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumePointTest {

  @Test
  void binlogOffsetInsideATransactionIsNotAResumePoint() {
    // As MariaDB's connector reports the third change of a transaction starting at 1877.
    assertThat(
            ResumePoint.isBetweenTransactions(
                Map.of("file", "vm-bin.000001", "pos", 1877L, "event", 6L, "row", 1)))
        .isFalse();
    assertThat(
            ResumePoint.isBetweenTransactions(
                Map.of("file", "vm-bin.000001", "pos", 1877L, "row", 2)))
        .isFalse();
  }

  @Test
  void binlogOffsetAfterACommitIsAResumePoint() {
    assertThat(
            ResumePoint.isBetweenTransactions(
                Map.of("file", "vm-bin.000001", "pos", 119692L, "gtids", "0-1-3", "server_id", 1)))
        .isTrue();
    assertThat(
            ResumePoint.isBetweenTransactions(
                Map.of("file", "vm-bin.000001", "pos", 119692L, "event", 0L, "row", 0)))
        .isTrue();
  }

  @Test
  void postgresOffsetsAreAlwaysResumePoints() {
    assertThat(
            ResumePoint.isBetweenTransactions(
                Map.of("lsn", 24_000_000L, "txId", 812L, "ts_usec", 1_795_444_497_000_000L)))
        .isTrue();
  }
}
