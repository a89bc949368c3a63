package vn.ndc.sync.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.local.LocalFlinkCluster;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.LocalRegistry;
import vn.ndc.sync.local.LocalStateDir;
import vn.ndc.sync.local.VietnamesePeople;

/**
 * Runs the benchmark parts (ceiling, Debezium alone, peer, ndc-sync) on one embedded PostgreSQL and
 * Kafka, each after a warm-up and {@code repeat} times (with {@code --interleave}, the peer's and
 * ndc-sync's runs alternating), and returns every figure with its median and spread.
 */
public final class Benchmarks {

  /** Part names, in the order they run (or start, with {@code --interleave}). */
  public static final List<String> PARTS = List.of("ceiling", "debezium", "peer", "ndc-sync");

  private final BenchSettings settings;
  private final PrintStream out;
  private LocalPostgres postgres;
  private volatile LocalPostgres populationPostgres;
  private LocalKafka kafka;
  private LocalRegistry registry;
  private volatile ConnectWorker worker;
  private LocalFlinkCluster flink;
  private Path ndcSyncJob;
  private Configuration ndcSyncJobOptions;
  private MemorySampler memory;

  public Benchmarks(BenchSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs every selected part and writes the report; returns the results. */
  public Map<String, Object> run() throws Exception {
    BenchWorkDir workDir = new BenchWorkDir(settings.workDir(), out);
    workDir.prepare(settings.rows(), settings.repeat());
    Path work = workDir.path();
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("command", settings.command());
    results.put("started", Instant.now().toString());
    results.put("machine", BenchReport.machine());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("rows", settings.rows());
    params.put("repeat", settings.repeat());
    params.put("warmup_rows", settings.warmupRows());
    params.put("transaction_rows", settings.transactionRows());
    params.put("rates_per_s", settings.rates());
    params.put("paced_seconds_max", settings.pacedSeconds());
    params.put("parts", settings.parts());
    params.put(
        "population",
        settings.linked() ? settings.populationTemplate().toString().replace('\\', '/') : "none");
    // The job ndc-sync's runs submit, checked before any part starts.
    ndcSyncJob =
        settings.parallelism() > 0
            ? BenchJobFile.withParallelism(
                settings.jobConfig(), settings.parallelism(), work.resolve("person-sync.yaml"))
            : settings.jobConfig();
    ndcSyncJobOptions = LocalPipeline.validatedJobOptions(ndcSyncJob);
    params.put("ndc_sync_parallelism", ndcSyncJobOptions.get(PersonSyncOptions.PARALLELISM));
    params.put("order", interleaved() ? "interleaved" : "by part");
    results.put("settings", params);
    Map<String, Object> parts = new LinkedHashMap<>();
    results.put("parts", parts);
    try {
      out.println("bench: starting PostgreSQL and Kafka ...");
      postgres = LocalPostgres.start(work.resolve("postgres"), 0);
      kafka = LocalKafka.start(work.resolve("kafka"), 0);
      if (settings.parts().contains("ndc-sync")) {
        out.println("bench: starting schema registry ...");
        registry = LocalRegistry.start(work.resolve("registry"), 0, postgres);
      }
      Map<String, Path> inMemory = new LinkedHashMap<>();
      LocalStateDir.inMemory().ifPresent(dir -> inMemory.put("rocksdb_files_in_memory", dir));
      try (MemorySampler sampler = new MemorySampler(watched(), inMemory)) {
        memory = sampler;
        if (settings.parts().contains("ceiling")) {
          memory.reset();
          record(parts, "ceiling", ceiling(), memory.peaksMiB());
        }
        if (settings.parts().contains("debezium")) {
          alone(work, "debezium", parts);
        }
        if (interleaved()) {
          interleaved(work, parts);
        } else {
          for (String part : List.of("peer", "ndc-sync")) {
            if (settings.parts().contains(part)) {
              alone(work, part, parts);
            }
          }
        }
      }
    } finally {
      results.put("finished", Instant.now().toString());
      results.put("load_average_at_end", BenchReport.loadAverage());
      closeAll();
      workDir.cleanUp(settings.keepWorkDir());
    }
    results.put("ratios", BenchStats.ratios(parts, settings.rates(), interleaved()));
    BenchReport.write(results, settings.outputDir(), out);
    return results;
  }

  private List<MemorySampler.Watched> watched() {
    List<MemorySampler.Watched> w = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    w.add(new MemorySampler.Watched("bench_jvm", CpuByRole.Kind.HARNESS_JVM, () -> List.of(self)));
    Path data = postgres.dataDir();
    w.add(
        new MemorySampler.Watched(
            "postgres", CpuByRole.Kind.POSTGRES, () -> MemorySampler.postgres(data)));
    w.add(
        new MemorySampler.Watched(
            "population_postgres",
            CpuByRole.Kind.POSTGRES,
            () -> {
              LocalPostgres current = populationPostgres;
              return current == null ? List.of() : MemorySampler.postgres(current.dataDir());
            }));
    if (registry != null) {
      long pid = registry.pid();
      w.add(
          new MemorySampler.Watched(
              "registry_jvm",
              CpuByRole.Kind.REGISTRY_JVM,
              () -> MemorySampler.withDescendants(pid)));
    }
    w.add(
        new MemorySampler.Watched(
            "connect_worker_jvm",
            CpuByRole.Kind.PIPELINE_JVM,
            () -> {
              ConnectWorker current = worker;
              return current == null ? List.of() : List.of(current.pid());
            }));
    return w;
  }

  /**
   * With {@code --interleave} and both parts, peer and ndc-sync runs alternate (peer, ndc-sync,
   * then ndc-sync, peer, ...), so that a slower stretch of the host falls on both alike rather than
   * on one part.
   */
  private boolean interleaved() {
    return settings.interleave()
        && settings.parts().contains("peer")
        && settings.parts().contains("ndc-sync");
  }

  /**
   * Both pipelines' infrastructure runs throughout (the Connect worker idles while ndc-sync runs,
   * the Flink cluster while the peer runs); each warms up, then run i of each follows the other's,
   * their order swapped every run. Memory peaks are each part's over its own runs.
   */
  private void interleaved(Path work, Map<String, Object> parts) throws Exception {
    startPeer(work);
    try {
      startNdcSync(work);
      try {
        Map<String, List<Map<String, Double>>> runs = new LinkedHashMap<>();
        Map<String, Map<String, Long>> peaks = new LinkedHashMap<>();
        for (String part : List.of("peer", "ndc-sync")) {
          warmUp(part);
          runs.put(part, new ArrayList<>());
          peaks.put(part, new LinkedHashMap<>());
        }
        for (int i = 1; i <= settings.repeat(); i++) {
          List<String> order =
              i % 2 == 1 ? List.of("peer", "ndc-sync") : List.of("ndc-sync", "peer");
          for (String part : order) {
            memory.reset();
            runs.get(part).add(measured(part, i));
            memory.peaksMiB().forEach((k, v) -> peaks.get(part).merge(k, v, Math::max));
          }
        }
        for (String part : runs.keySet()) {
          record(parts, part, runs.get(part), peaks.get(part));
        }
      } finally {
        stopNdcSync();
      }
    } finally {
      stopPeer();
    }
  }

  /** One pipeline's part on its own: its infrastructure runs only meanwhile. */
  private void alone(Path work, String part, Map<String, Object> parts) throws Exception {
    memory.reset();
    if (part.equals("peer")) {
      startPeer(work);
    } else if (part.equals("ndc-sync")) {
      startNdcSync(work);
    }
    try {
      warmUp(part);
      List<Map<String, Double>> runs = new ArrayList<>();
      for (int i = 1; i <= settings.repeat(); i++) {
        runs.add(measured(part, i));
      }
      // Before the stop: the peer's worker is one of the watched processes only while it runs.
      record(parts, part, runs, memory.peaksMiB());
    } finally {
      if (part.equals("peer")) {
        stopPeer();
      } else if (part.equals("ndc-sync")) {
        stopNdcSync();
      }
    }
  }

  private void record(
      Map<String, Object> parts,
      String part,
      List<Map<String, Double>> runs,
      Map<String, Long> peaks) {
    Map<String, Map<String, Double>> figures = BenchStats.summarize(runs);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("figures", figures);
    result.put("runs", runs);
    result.put("memory_mib", peaks);
    parts.put(part, result);
    out.println("bench: " + part + " done: " + figures);
  }

  private void warmUp(String part) throws Exception {
    if (settings.warmupRows() > 0) {
      out.printf("bench: %s warm-up (%d rows) ...%n", part, settings.warmupRows());
      once(part, target(part, "w"), "w", settings.warmupRows(), false);
    }
  }

  private Map<String, Double> measured(String part, int i) throws Exception {
    Map<String, Double> m = once(part, target(part, "r" + i), "r" + i, settings.rows(), true);
    out.printf("bench: %s run %d: %s%n", part, i, m);
    return m;
  }

  private SyncTarget target(String part, String tag) {
    if (part.equals("peer")) {
      return new PeerTarget(worker, postgres, kafka, "peer_" + tag);
    }
    if (part.equals("debezium")) {
      return new DebeziumOnlyTarget(postgres, kafka, settings.agencyTemplate(), "debezium_" + tag);
    }
    return new NdcSyncTarget(
        postgres,
        populationPostgres,
        kafka,
        registry,
        flink,
        settings.agencyTemplate(),
        ndcSyncJob,
        settings.populationTemplate(),
        settings.workDir().toAbsolutePath().resolve("ndc-sync"),
        "ndc_" + tag,
        out);
  }

  private void startPeer(Path work) throws Exception {
    out.println("bench: starting the Kafka Connect worker (peer) ...");
    worker = ConnectWorker.start(work.resolve("connect"), kafka.bootstrapServers());
  }

  private void stopPeer() {
    ConnectWorker current = worker;
    worker = null;
    if (current != null) {
      current.close();
    }
  }

  /**
   * ndc-sync's infrastructure: one Flink cluster for all its runs, each run submitting its job to
   * it, as the peer's runs share one Connect worker; the cluster's start-up is not a run's.
   */
  private void startNdcSync(Path work) throws Exception {
    out.println("bench: starting the Flink cluster (ndc-sync) ...");
    flink =
        LocalFlinkCluster.start(
            ndcSyncJobOptions.get(PersonSyncOptions.PARALLELISM),
            ndcSyncJobOptions.get(PersonSyncOptions.STATE_BACKEND));
    if (settings.linked()) {
      // In production the population database is another agency's server. On the bench's one
      // server its walsender would read all the WAL of the source and the stores to find its
      // few changes, a cost that no deployment pays (BENCHMARKS.md, step 32).
      out.println("bench: starting the population's PostgreSQL server (ndc-sync) ...");
      populationPostgres = LocalPostgres.start(work.resolve("postgres-population"), 0);
    }
  }

  private void stopNdcSync() throws Exception {
    LocalFlinkCluster cluster = flink;
    flink = null;
    if (cluster != null) {
      cluster.close();
    }
    LocalPostgres population = populationPostgres;
    populationPostgres = null;
    if (population != null) {
      population.close();
    }
  }

  private List<Map<String, Double>> ceiling() throws Exception {
    PgOutputCeiling ceiling = new PgOutputCeiling(postgres, settings.transactionRows());
    List<Map<String, Double>> runs = new ArrayList<>();
    if (settings.warmupRows() > 0) {
      out.printf("bench: ceiling warm-up (%d rows) ...%n", settings.warmupRows());
      ceiling.run("bench_ceiling_w", settings.warmupRows(), settings.seed());
    }
    for (int i = 1; i <= settings.repeat(); i++) {
      double rate = ceiling.run("bench_ceiling_r" + i, settings.rows(), settings.seed());
      out.printf("bench: ceiling run %d: %.0f rows/s decoded%n", i, rate);
      runs.add(Map.of("decode_rows_per_s", rate));
    }
    return runs;
  }

  /** One run: snapshot of {@code rows}, then {@code rows} streamed at full speed, then paced. */
  private Map<String, Double> once(
      String part, SyncTarget target, String tag, long rows, boolean paced) throws Exception {
    String database = CpuByRole.SOURCE_DATABASE_PREFIX + part.replace('-', '_') + "_" + tag;
    BenchTable.recreate(postgres, database);
    Map<String, Double> m = new LinkedHashMap<>();
    VietnamesePeople people = new VietnamesePeople(settings.seed());
    try (Connection c = postgres.connect(database)) {
      BenchTable.insert(c, people, rows, settings.transactionRows());

      Instant start = Instant.now();
      CpuByRole.Mark cpu = memory.cpuMark();
      target.start(database);
      await(target, rows, part + " snapshot");
      m.put("snapshot_rows_per_s", rows / seconds(start, target.lastSyncedAt()));
      m.putAll(target.snapshotDetails());
      cpu = putCpu(m, "snapshot", cpu, rows);

      if (target.beforeStreaming(() -> peopleAfter(rows), rows + (paced ? pacedRows(rows) : 0))) {
        cpu = memory.cpuMark();
      }
      out.printf("bench: %s streaming %d rows at full speed ...%n", part, rows);
      Instant loadStart = Instant.now();
      Instant firstCommit = BenchTable.insert(c, people, rows, settings.transactionRows());
      Instant loadEnd = Instant.now();
      await(target, 2 * rows, part + " streaming");
      m.put("stream_rows_per_s", rows / seconds(firstCommit, target.lastSyncedAt()));
      m.put("stream_offered_rows_per_s", rows / seconds(loadStart, loadEnd));
      putCpu(m, "stream", cpu, rows);
      m.putAll(target.streamDetails());

      long expected = 2 * rows;
      if (paced) {
        for (int rate : settings.rates()) {
          long n = pacedRows(rows, rate);
          out.printf("bench: %s paced load: %d rows at %d/s ...%n", part, n, rate);
          Instant since = Instant.now();
          BenchTable.paced(c, people, n, rate);
          expected += n;
          await(target, expected, part + " at " + rate + "/s");
          target.latency(since).forEach((k, v) -> m.put("at_" + rate + "_per_s_" + k, v));
        }
      }
    } finally {
      target.stop();
      BenchTable.drop(postgres, database);
    }
    return m;
  }

  /** Rows of the paced load at {@code rate}. */
  private long pacedRows(long rows, int rate) {
    return Math.min(rows, (long) rate * settings.pacedSeconds());
  }

  /** Rows of every paced load of a run. */
  private long pacedRows(long rows) {
    return settings.rates().stream().mapToLong(rate -> pacedRows(rows, rate)).sum();
  }

  /** The generator of a run's people, past the first {@code rows} (the snapshot's). */
  private VietnamesePeople peopleAfter(long rows) {
    VietnamesePeople people = new VietnamesePeople(settings.seed());
    for (long i = 0; i < rows; i++) {
      people.next();
    }
    return people;
  }

  /**
   * Puts the CPU time per row every watched process spent since {@code before} (µs; the load
   * generator's inserts, PostgreSQL and the Kafka broker included, as for every part), the same
   * split by {@link CpuByRole.Role}, and the pipeline's own share ({@link CpuByRole.Role#OWN}), and
   * returns the new readings. Up to 1 s of polling by this harness is included too.
   */
  private CpuByRole.Mark putCpu(
      Map<String, Double> m, String phase, CpuByRole.Mark before, long rows) {
    CpuByRole.Mark now = memory.cpuMark();
    double total = 0;
    for (Map.Entry<String, Double> e : now.secondsByNameSince(before).entrySet()) {
      double used = e.getValue();
      if (used > 0) {
        total += used;
        m.put(phase + "_cpu_us_per_row_" + e.getKey(), used * 1e6 / rows);
      }
    }
    m.put(phase + "_cpu_us_per_row", total * 1e6 / rows);
    Map<CpuByRole.Role, Double> byRole = CpuByRole.between(before, now);
    m.put(phase + "_jit_cpu_us_per_row", byRole.getOrDefault(CpuByRole.Role.JIT, 0.0) * 1e6 / rows);
    byRole.forEach(
        (role, seconds) ->
            m.put(phase + "_cpu_us_per_row_role_" + role.key(), seconds * 1e6 / rows));
    double own = 0;
    for (CpuByRole.Role role : CpuByRole.Role.OWN) {
      own += byRole.getOrDefault(role, 0.0);
    }
    m.put(phase + "_own_cpu_us_per_row", own * 1e6 / rows);
    return now;
  }

  private void await(SyncTarget target, long expected, String what) throws Exception {
    BenchWait.until(
        what + " (" + target.name() + ")",
        expected,
        "rows stored",
        () -> {
          target.checkHealthy();
          return target.storedRows();
        },
        out);
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(Duration.between(from, to).toNanos(), 1_000_000L) / 1e9;
  }

  private void closeAll() {
    for (AutoCloseable c : new AutoCloseable[] {worker, flink, registry, kafka, postgres}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        out.println("bench: warning: stopping " + c.getClass().getSimpleName() + ": " + e);
      }
    }
  }
}
