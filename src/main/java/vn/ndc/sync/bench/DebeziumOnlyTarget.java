package vn.ndc.sync.bench;

import io.debezium.embedded.Connect;
import io.debezium.embedded.async.AsyncEngineConfig;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import vn.ndc.sync.capture.ConnectorConfig;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalPostgres;

/**
 * The floor under both pipelines: Debezium's PostgreSQL connector alone, in the embedded engine as
 * ndc-sync's capture runs it (with the bench agency's batch, queue and poll settings), on the
 * peer's source settings, with nothing downstream. Each change is counted and dropped, so its rates
 * and CPU are what any Debezium-based pipeline pays before it moves a row anywhere; its "store" is
 * the counter, its latency commit → handed to the consumer.
 */
final class DebeziumOnlyTarget implements SyncTarget {

  /**
   * The agency's settings that tune the engine rather than name a source: its poll interval (the
   * default 500 ms would make this floor's latency the peer's), batch and queue sizes, snapshot
   * mode and value conversions.
   */
  static final List<String> ENGINE_TUNING =
      List.of(
          "max.batch.size",
          "max.queue.size",
          "poll.interval.ms",
          "snapshot.mode",
          "decimal.handling.mode",
          "time.precision.mode",
          "tombstones.on.delete");

  private final LocalPostgres postgres;
  private final LocalKafka kafka;
  private final Path agencyTemplate;
  private final String run;
  private final AtomicLong seen = new AtomicLong();
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private final Latencies latencies = new Latencies();
  private volatile long lastSeenMillis;
  private ExecutorService runner;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

  DebeziumOnlyTarget(LocalPostgres postgres, LocalKafka kafka, Path agencyTemplate, String run) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.agencyTemplate = agencyTemplate;
    this.run = run;
  }

  @Override
  public String name() {
    return "debezium";
  }

  @Override
  public void start(String sourceDatabase) {
    engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(properties(sourceDatabase))
            .using(
                (success, message, error) -> {
                  if (success && error == null) {
                    completion.complete(null);
                  } else {
                    completion.completeExceptionally(
                        new IllegalStateException("Debezium engine failed: " + message, error));
                  }
                })
            .notifying(this::handleBatch)
            .build();
    runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-only-" + run));
    runner.execute(engine);
  }

  /**
   * The peer's source connector settings, the agency's engine tuning, and offsets in memory:
   * nothing outlives the run.
   */
  Properties properties(String sourceDatabase) {
    Properties p = new Properties();
    Properties agency =
        ConnectorConfig.load(agencyTemplate, LocalPipeline.validationPlaceholders())
            .debeziumProperties();
    for (String key : ENGINE_TUNING) {
      if (agency.getProperty(key) != null) {
        p.setProperty(key, agency.getProperty(key));
      }
    }
    p.putAll(PeerTarget.sourceConnector(postgres, sourceDatabase, run));
    p.setProperty("name", run);
    p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    p.setProperty("offset.flush.interval.ms", "1000");
    // As ndc-sync's capture sets it (DebeziumCapture.engineProperties).
    p.setProperty(AsyncEngineConfig.RECORD_PROCESSING_THREADS.name(), "1");
    // Connect's worker config validation requires it; the memory store does not use it.
    p.setProperty("bootstrap.servers", kafka.bootstrapServers());
    return p;
  }

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    long now = System.currentTimeMillis();
    int rows = 0;
    for (RecordChangeEvent<SourceRecord> event : events) {
      Object value = event.record().value();
      if (value instanceof Struct change && change.schema().field("source") != null) {
        long committed = change.getStruct("source").getInt64("ts_ms");
        latencies.add(committed, now - committed);
        rows++;
      }
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
    if (rows > 0) {
      lastSeenMillis = now;
      seen.addAndGet(rows);
    }
  }

  @Override
  public long storedRows() {
    return seen.get();
  }

  @Override
  public Instant lastSyncedAt() {
    return Instant.ofEpochMilli(lastSeenMillis);
  }

  @Override
  public Map<String, Double> latency(Instant since) {
    return latencies.since(since.toEpochMilli());
  }

  @Override
  public void checkHealthy() {
    if (completion.isCompletedExceptionally()) {
      completion.join();
    }
    if (completion.isDone()) {
      throw new IllegalStateException("the Debezium engine stopped before the run ended");
    }
  }

  @Override
  public void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
    if (runner != null) {
      runner.shutdown();
      if (!runner.awaitTermination(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the Debezium engine did not stop within 60 s");
      }
    }
  }

  /**
   * Commit time and latency of every change seen, in growing arrays: a run's few million changes
   * take tens of MiB, and a consumer that does this little costs nothing the figures could see.
   */
  static final class Latencies {
    private long[] committed = new long[1 << 16];
    private long[] millis = new long[1 << 16];
    private int size;

    synchronized void add(long committedAt, long latencyMillis) {
      if (size == committed.length) {
        committed = Arrays.copyOf(committed, size * 2);
        millis = Arrays.copyOf(millis, size * 2);
      }
      committed[size] = committedAt;
      millis[size] = latencyMillis;
      size++;
    }

    /**
     * Count, p50, p95, p99 and max (ms) of the changes committed at or after {@code sinceMillis};
     * percentiles interpolate between ranks, as PostgreSQL's {@code percentile_cont} does for the
     * other parts.
     */
    synchronized Map<String, Double> since(long sinceMillis) {
      long[] chosen = new long[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (committed[i] >= sinceMillis) {
          chosen[n++] = millis[i];
        }
      }
      long[] sorted = Arrays.copyOf(chosen, n);
      Arrays.sort(sorted);
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("samples", (double) n);
      if (n > 0) {
        out.put("p50_ms", percentile(sorted, 0.5));
        out.put("p95_ms", percentile(sorted, 0.95));
        out.put("p99_ms", percentile(sorted, 0.99));
        out.put("max_ms", (double) sorted[n - 1]);
      }
      return out;
    }

    private static double percentile(long[] sorted, double p) {
      double rank = p * (sorted.length - 1);
      int low = (int) Math.floor(rank);
      int high = Math.min(low + 1, sorted.length - 1);
      return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }
  }
}
