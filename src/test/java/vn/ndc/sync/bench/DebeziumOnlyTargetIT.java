package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.local.VietnamesePeople;

/**
 * The bench's floor part on a real PostgreSQL: Debezium alone sees every snapshotted and streamed
 * row once, and times the streamed ones from their commit.
 */
class DebeziumOnlyTargetIT {

  private static final int PACED = 300;

  @Test
  void countsEverySnapshottedAndStreamedRowAndTimesTheStreamedOnes() throws Exception {
    SharedTestStack stack = SharedTestStack.get();
    String database = stack.uniqueName("bench_debezium_only");
    BenchTable.recreate(stack.postgres(), database);
    DebeziumOnlyTarget target =
        new DebeziumOnlyTarget(
            stack.postgres(),
            stack.kafka(),
            Path.of("connectors/civil-registry"),
            database + "_run");
    // The engine runs as ndc-sync's capture does, not with Debezium's 500 ms poll interval.
    assertThat(target.properties(database))
        .containsEntry("poll.interval.ms", "50")
        .containsEntry("max.batch.size", "4096")
        .containsEntry("slot.name", database)
        .doesNotContainKey("heartbeat.action.query");
    VietnamesePeople people = new VietnamesePeople(7);
    try (Connection c = stack.postgres().connect(database)) {
      BenchTable.insert(c, people, 500, 100);
      Instant beforeStart = Instant.now();
      target.start(database);
      awaitSeen(target, 500);
      assertThat(target.lastSyncedAt()).isAfterOrEqualTo(beforeStart.minusSeconds(1));

      Instant since = Instant.now();
      long seenBefore = target.storedRows();
      BenchTable.paced(c, people, PACED, 1000);
      awaitSeen(target, 500 + PACED);
      Map<String, Double> latency = target.latency(since);
      assertThat(target.storedRows() - seenBefore).as("paced rows seen").isEqualTo(PACED);
      // How long the rows took depends on the machine; what the figures must be does not.
      assertThat(latency)
          .containsOnlyKeys("samples", "p50_ms", "p95_ms", "p99_ms", "max_ms")
          .doesNotContainValue(null);
      assertThat(latency.get("samples"))
          .as("the streamed rows, not the snapshot's")
          .isEqualTo((double) PACED);
      assertThat(latency.get("p50_ms")).isGreaterThanOrEqualTo(0.0);
      assertThat(latency.get("p95_ms")).isBetween(latency.get("p50_ms"), latency.get("p99_ms"));
      assertThat(latency.get("p99_ms")).isBetween(latency.get("p50_ms"), latency.get("max_ms"));

      // A change of another table is not captured: the publication holds the bench table only.
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE public.other (id int PRIMARY KEY)");
        st.execute("INSERT INTO public.other VALUES (1)");
      }
      BenchTable.insert(c, people, 1, 1);
      awaitSeen(target, 500 + PACED + 1);
      Thread.sleep(500);
      assertThat(target.storedRows()).isEqualTo(500 + PACED + 1);
      target.checkHealthy();
    } finally {
      target.stop();
      BenchTable.drop(stack.postgres(), database);
    }
    assertThatThrownBy(target::checkHealthy).hasMessageContaining("stopped");
  }

  private static void awaitSeen(DebeziumOnlyTarget target, long rows) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (target.storedRows() < rows) {
      target.checkHealthy();
      assertThat(System.nanoTime()).as("%d rows seen in time", rows).isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(target.storedRows()).isEqualTo(rows);
  }
}
