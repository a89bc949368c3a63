package vn.ndc.sync.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.local.LocalStateDir;

/** Builds the Flink environments ndc-sync runs in, with the settings every job relies on. */
public final class FlinkEnvironments {

  /**
   * Managed memory of a local cluster, RocksDB's budget (block cache and write buffers), shared by
   * its slots: about what a TaskManager of {@code k8s/flink/person-sync.yaml} (3 GiB, Flink's
   * default managed fraction) has. Flink's local default, 128 MiB, starved RocksDB once the state
   * held a million records (BENCHMARKS.md, step 18).
   */
  private static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.ofMebiBytes(1024);

  /** How long a partly filled network buffer may wait before it is sent downstream. */
  public static final Duration BUFFER_TIMEOUT = Duration.ofMillis(10);

  private static final String LOOPBACK = "127.0.0.1";

  /** Name of the Prometheus reporter in Flink's configuration ({@code metrics.reporter.prom.*}). */
  public static final String PROMETHEUS_REPORTER = "prom";

  private FlinkEnvironments() {}

  /** Settings common to every environment: no Kryo fallback, Avro types only. */
  public static Configuration baseConfiguration() {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    // Flink ships a partly filled network buffer after at most this long (default 100 ms); each
    // keyBy edge a change crosses (dedup, the resolvers, the per-source store) would add up to
    // that to its latency, while full buffers still ship at once under load.
    conf.set(ExecutionOptions.BUFFER_TIMEOUT, BUFFER_TIMEOUT);
    return conf;
  }

  /**
   * The state backend settings of a job. RocksDB checkpoints incrementally, compacts universally,
   * keeps partitioned bloom filters and does not compress: most state reads of a change look up
   * keys that do not exist yet (its first version, a personal ID no citizen has, a new match key),
   * and without filters each such miss reads and decompresses blocks of every recent file; the
   * bench measured 537 → 386 µs of CPU per streamed row with filters and no compression
   * (BENCHMARKS.md, step 14), whose price is larger files and checkpoints.
   */
  public static Configuration stateBackend(PersonSyncOptions.StateBackendKind kind) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, kind.name().toLowerCase(Locale.ROOT));
    if (kind == PersonSyncOptions.StateBackendKind.ROCKSDB) {
      conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
      conf.set(
          RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
          List.of(CompressionType.NO_COMPRESSION));
      conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
      // Whole-file filters and indexes compete with data blocks for the bounded block cache: once
      // the state holds a million records they were evicted and reloaded (megabytes each) on
      // nearly every read. Partitioned, only the small top level stays and a read loads the one
      // partition it needs (BENCHMARKS.md, step 18).
      conf.set(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS, true);
      // Nearly every change adds a key (a new row, a waiting record) at a random place in the key
      // space; leveled compaction then rewrote each waiting record level by level, a third of the
      // CPU once the state held a million records (BENCHMARKS.md, step 19). Universal compaction
      // rewrites less, at the price of up to twice the disk space while it merges.
      conf.set(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.UNIVERSAL);
      conf.set(RocksDBOptions.OPTIONS_FACTORY, MemtableBloomOptions.class.getName());
    }
    return conf;
  }

  /**
   * A MiniCluster environment with the web UI on {@code webPort}, checkpointing into {@code
   * checkpointDir} and resuming from {@code restoreFrom} (a savepoint or checkpoint; when null, the
   * newest checkpoint found in {@code checkpointDir}, if any). The cluster lives as long as the
   * job. With {@code metricsPort} not negative, the cluster serves its metrics for Prometheus there
   * ({@link #prometheusReporter}).
   */
  public static StreamExecutionEnvironment local(
      int webPort,
      int metricsPort,
      Path checkpointDir,
      Duration checkpointInterval,
      int parallelism,
      PersonSyncOptions.StateBackendKind stateBackend,
      String restoreFrom) {
    Configuration conf = clusterConfiguration(webPort, parallelism, stateBackend);
    if (metricsPort >= 0) {
      conf.addAll(prometheusReporter(metricsPort));
    }
    conf.addAll(jobConfiguration(checkpointDir, checkpointInterval, stateBackend, restoreFrom));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    env.setParallelism(parallelism);
    return env;
  }

  /**
   * An environment that submits to a running cluster's REST endpoint on this host (a {@code
   * vn.ndc.sync.local.LocalFlinkCluster}), with the same job settings and resume as {@link #local}.
   * The job's classes come from this JVM's class path, so no jar is shipped.
   */
  public static StreamExecutionEnvironment onCluster(
      int restPort,
      Path checkpointDir,
      Duration checkpointInterval,
      int parallelism,
      PersonSyncOptions.StateBackendKind stateBackend,
      String restoreFrom) {
    Configuration conf =
        jobConfiguration(checkpointDir, checkpointInterval, stateBackend, restoreFrom);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment(LOOPBACK, restPort, conf);
    env.setParallelism(parallelism);
    return env;
  }

  /**
   * Flink's Prometheus reporter, as {@code k8s/flink/person-sync.yaml} configures it: every metric
   * of the cluster and its jobs at {@code http://<host>:<port>/metrics}.
   */
  public static Configuration prometheusReporter(int port) {
    Configuration conf = new Configuration();
    conf.setString(
        "metrics.reporter." + PROMETHEUS_REPORTER + ".factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    conf.setString("metrics.reporter." + PROMETHEUS_REPORTER + ".port", String.valueOf(port));
    return conf;
  }

  /**
   * Settings of a MiniCluster: its REST endpoint and web UI on loopback at {@code webPort}, one
   * slot per parallel subtask (each slot's share of managed memory is RocksDB's budget), and the
   * job defaults.
   */
  public static Configuration clusterConfiguration(
      int webPort, int slots, PersonSyncOptions.StateBackendKind stateBackend) {
    Configuration conf = baseConfiguration();
    conf.addAll(stateBackend(stateBackend));
    conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
    conf.set(RestOptions.ADDRESS, LOOPBACK);
    conf.set(RestOptions.PORT, webPort);
    conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(Math.max(slots, 1)));
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
    return conf;
  }

  /**
   * Settings every person-sync job on a local cluster carries: checkpoints, state backend (with
   * RocksDB's working files in memory when the host has room, {@link LocalStateDir}), restarts,
   * resume from {@code restoreFrom}, or when null from the newest checkpoint in {@code
   * checkpointDir}.
   */
  static Configuration jobConfiguration(
      Path checkpointDir,
      Duration checkpointInterval,
      PersonSyncOptions.StateBackendKind stateBackend,
      String restoreFrom) {
    Configuration conf = baseConfiguration();
    conf.addAll(stateBackend(stateBackend));
    if (stateBackend == PersonSyncOptions.StateBackendKind.ROCKSDB) {
      LocalStateDir.inMemory()
          .ifPresent(dir -> conf.set(RocksDBOptions.LOCAL_DIRECTORIES, dir.toString()));
    }
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
    // A broker, store or source outage fails the job; it must come back on its own, soon after
    // the outage ends (Flink's default backoff grows to a minute), and keep trying forever.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofSeconds(10));
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofMinutes(2));
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    } else {
      latestCheckpoint(checkpointDir)
          .ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toUri().toString()));
    }
    return conf;
  }

  /** The newest completed checkpoint (a chk-N folder holding _metadata) under {@code dir}. */
  public static Optional<Path> latestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(Comparator.comparingLong(FlinkEnvironments::modified));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return 0L;
    }
  }
}
