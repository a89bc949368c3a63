package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.bench.CpuByRole.Kind;
import vn.ndc.sync.bench.CpuByRole.Role;

class CpuByRoleTest {

  @Test
  void tellsTheSharedThreadsOfTheHarnessJvmFromThePipelines() {
    // Names as Linux keeps them: cut to 15 characters.
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "C2 CompilerThre")).isEqualTo(Role.JIT);
    assertThat(CpuByRole.ofThread(Kind.PIPELINE_JVM, "C1 CompilerThre")).isEqualTo(Role.JIT);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "GC Thread#3")).isEqualTo(Role.JVM_RUNTIME);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "G1 Refine#0")).isEqualTo(Role.JVM_RUNTIME);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "data-plane-kafk")).isEqualTo(Role.BROKER);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "kafka-0-raft-io")).isEqualTo(Role.BROKER);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "group-coordinat")).isEqualTo(Role.BROKER);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "java")).isEqualTo(Role.LOAD_GENERATOR);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "bench-memory-sa"))
        .isEqualTo(Role.LOAD_GENERATOR);
    // Kafka clients are the pipeline's, the broker's threads are not.
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "kafka-producer-")).isEqualTo(Role.PIPELINE);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "resolve-demogra")).isEqualTo(Role.PIPELINE);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "rocksdb:low")).isEqualTo(Role.PIPELINE);
    assertThat(CpuByRole.ofThread(Kind.HARNESS_JVM, "debezium-postgr")).isEqualTo(Role.PIPELINE);
    // The Connect worker's main thread only starts it; the registry is the registry.
    assertThat(CpuByRole.ofThread(Kind.PIPELINE_JVM, "java")).isEqualTo(Role.PIPELINE);
    assertThat(CpuByRole.ofThread(Kind.REGISTRY_JVM, "qtp12345-17")).isEqualTo(Role.REGISTRY);
  }

  @Test
  void tellsPostgresBackendsByDatabaseAndWalsendersApart() {
    assertThat(
            CpuByRole.ofPostgresProcess(
                "postgres: walsender ndc_cdc bench_ndc_sync_r1 127.0.0.1(40112) START_REPLICATION"))
        .isEqualTo(Role.DECODING);
    assertThat(CpuByRole.ofPostgresProcess("postgres: ndc_cdc bench_peer_r2 127.0.0.1(40114) idle"))
        .isEqualTo(Role.SOURCE_DATABASE);
    assertThat(CpuByRole.ofPostgresProcess("postgres: postgres ndc 127.0.0.1(40116) INSERT"))
        .isEqualTo(Role.STORE_DATABASE);
    assertThat(CpuByRole.ofPostgresProcess("postgres: postgres peer_r2 [local] idle"))
        .isEqualTo(Role.STORE_DATABASE);
    assertThat(CpuByRole.ofPostgresProcess("postgres: postgres registry 127.0.0.1(59284) idle"))
        .isEqualTo(Role.REGISTRY);
    assertThat(CpuByRole.ofPostgresProcess("postgres: postgres postgres 127.0.0.1(1) idle"))
        .isEqualTo(Role.POSTGRES_OTHER);
    assertThat(CpuByRole.ofPostgresProcess("postgres: checkpointer"))
        .isEqualTo(Role.POSTGRES_OTHER);
    assertThat(CpuByRole.ofPostgresProcess("/usr/lib/postgresql/17/bin/postgres -D data"))
        .isEqualTo(Role.POSTGRES_OTHER);
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
    // The burner is gone by the second mark: its time is found only in the process's total.
    assertThat(used.get(Role.PIPELINE)).isGreaterThanOrEqualTo(burnedNanos.get() / 1e9 - 0.03);
    assertThat(used.values()).allMatch(seconds -> seconds >= 0);
  }
}
