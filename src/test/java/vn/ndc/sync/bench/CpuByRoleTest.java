package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.ndc.sync.bench.CpuByRole.Kind;
import vn.ndc.sync.bench.CpuByRole.Role;

class CpuByRoleTest {

  // Thread names as Linux keeps them: cut to 15 characters. Kafka clients are the pipeline's, the
  // broker's threads are not; the Connect worker's main thread only starts it.
  @ParameterizedTest(name = "{0} thread \"{1}\" -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "HARNESS_JVM  | C2 CompilerThre | JIT",
        "PIPELINE_JVM | C1 CompilerThre | JIT",
        "HARNESS_JVM  | GC Thread#3     | JVM_RUNTIME",
        "HARNESS_JVM  | G1 Refine#0     | JVM_RUNTIME",
        "HARNESS_JVM  | data-plane-kafk | BROKER",
        "HARNESS_JVM  | kafka-0-raft-io | BROKER",
        "HARNESS_JVM  | group-coordinat | BROKER",
        "HARNESS_JVM  | java            | LOAD_GENERATOR",
        "HARNESS_JVM  | bench-memory-sa | LOAD_GENERATOR",
        "HARNESS_JVM  | kafka-producer- | PIPELINE",
        "HARNESS_JVM  | resolve-demogra | PIPELINE",
        "HARNESS_JVM  | rocksdb:low     | PIPELINE",
        "HARNESS_JVM  | debezium-postgr | PIPELINE",
        "PIPELINE_JVM | java            | PIPELINE",
        "REGISTRY_JVM | qtp12345-17     | REGISTRY"
      })
  void tellsTheSharedThreadsOfTheHarnessJvmFromThePipelines(Kind kind, String name, Role role) {
    assertThat(CpuByRole.ofThread(kind, name)).isEqualTo(role);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "postgres: walsender ndc_cdc bench_ndc_sync_r1 127.0.0.1(40112) START_REPLICATION | DECODING",
        "postgres: ndc_cdc bench_peer_r2 127.0.0.1(40114) idle | SOURCE_DATABASE",
        "postgres: postgres ndc 127.0.0.1(40116) INSERT | STORE_DATABASE",
        "postgres: postgres peer_r2_sink [local] idle | STORE_DATABASE",
        "postgres: postgres registry 127.0.0.1(59284) idle | REGISTRY",
        "postgres: postgres postgres 127.0.0.1(1) idle | POSTGRES_OTHER",
        "postgres: checkpointer | POSTGRES_OTHER",
        "/usr/lib/postgresql/17/bin/postgres -D data | POSTGRES_OTHER"
      })
  void tellsPostgresBackendsByDatabaseAndWalsendersApart(String title, Role role) {
    assertThat(CpuByRole.ofPostgresProcess(title)).isEqualTo(role);
  }

  @Test
  void countsAThreadThatEndedBetweenTheMarksToThePipeline() throws Exception {
    long self = ProcessHandle.current().pid();
    List<MemorySampler.Watched> watched =
        List.of(new MemorySampler.Watched("self", Kind.HARNESS_JVM, () -> List.of(self)));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicLong burnedNanos = new AtomicLong();
    CpuByRole.Mark before = CpuByRole.mark(watched);
    Thread burner =
        new Thread(
            () -> {
              long sink = 0;
              while (mx.getCurrentThreadCpuTime() < 300_000_000L) {
                sink += System.nanoTime() % 7;
              }
              burnedNanos.set(mx.getCurrentThreadCpuTime() + (sink & 0));
            },
            "burner");
    burner.start();
    burner.join();
    CpuByRole.Mark after = CpuByRole.mark(watched);

    Map<Role, Double> used = CpuByRole.between(before, after);
    // The burner is gone by the second mark: its time is found only in the process's total. /proc
    // counts in 10 ms ticks, truncated per thread and per mark, so a few ticks may go missing (once
    // 3 of them); not counting the ended thread at all would lose all 30.
    assertThat(used.get(Role.PIPELINE)).isGreaterThanOrEqualTo(burnedNanos.get() / 1e9 - 0.1);
    assertThat(used.values()).allMatch(seconds -> seconds >= 0);
  }
}
