package vn.ndc.sync.deliver;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitableSerializer;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterStateSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An at-least-once sink of upserts into one store table, whose batches hold one record per row and
 * whose writer survives an unreachable database.
 *
 * <p>Batches: records wait in a {@link LatestPerRow} until it holds {@code batchSize} rows, until
 * {@code batchIntervalMs} after the first of them (a timer of the task, so the batch is written on
 * the task's own thread), or until a checkpoint; then the whole batch is applied as one {@link
 * StagedUpsert} in one transaction, retried on a new connection when the store fails.
 *
 * <p>Outages: after its retries a batch fails the task, which restarts from the last checkpoint;
 * rows not yet written were never covered by a checkpoint, so the restarted job writes them again
 * from the raw topics. Closing a writer never throws: Flink treats an exception thrown while a
 * failed task cleans up as fatal to the whole TaskManager, which would stop the job for good.
 *
 * <p>Checkpoints: this sink replaced Flink's JDBC connector sink under the same operator ids, so it
 * keeps that sink's writer state and committer (both always empty at least once) for checkpoints
 * taken before to restore.
 */
public final class RecoverableJdbcSink<IN>
    implements Sink<IN>,
        SupportsWriterState<IN, JdbcWriterState>,
        SupportsCommitter<JdbcCommitable> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RecoverableJdbcSink.class);

  /**
   * Metric: records not written because a later version of their row in the batch replaced them.
   */
  public static final String VERSIONS_FOLDED = "versionsFolded";

  /**
   * Metric: milliseconds from a row's source commit to the commit of the store transaction that
   * applied it (a histogram of the latest {@value #LATENCY_WINDOW} rows): how live the store is.
   */
  public static final String COMMIT_TO_STORE_MS = "commitToStoreLatencyMs";

  static final int LATENCY_WINDOW = 10_000;

  /** Attempts after the first before a batch fails the task, as the JDBC connector's default. */
  static final int MAX_RETRIES = 5;

  private final PersonStoreSink.Settings store;
  private final StagedUpsert<IN> upsert;
  private final LatestPerRow.Rule<IN> rule;
  private final CommitTime<IN> commitTime;

  /** A record's source commit time, in epoch milliseconds. */
  @FunctionalInterface
  interface CommitTime<IN> extends java.io.Serializable {
    long millis(IN record);
  }

  RecoverableJdbcSink(
      PersonStoreSink.Settings store,
      StagedUpsert<IN> upsert,
      LatestPerRow.Rule<IN> rule,
      CommitTime<IN> commitTime) {
    if (store.batchSize() < 1 || store.intervalMs() < 0) {
      throw new IllegalArgumentException(
          "store batch size must be at least 1 and the batch interval not negative, got "
              + store.batchSize()
              + " and "
              + store.intervalMs()
              + " ms");
    }
    this.store = store;
    this.upsert = upsert;
    this.rule = rule;
    this.commitTime = commitTime;
  }

  @Override
  public Writer<IN> createWriter(WriterInitContext context) {
    return new Writer<>(
        new StoreBatches<>(store, upsert, MAX_RETRIES),
        rule,
        store.batchSize(),
        store.intervalMs(),
        context.getProcessingTimeService(),
        context.metricGroup().counter(VERSIONS_FOLDED),
        commitTime,
        context
            .metricGroup()
            .histogram(COMMIT_TO_STORE_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW)));
  }

  @Override
  public Writer<IN> restoreWriter(WriterInitContext context, Collection<JdbcWriterState> state) {
    // At least once, the connector's writer kept no transactions: its state holds nothing.
    return createWriter(context);
  }

  @Override
  public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
    return new JdbcWriterStateSerializer();
  }

  @Override
  public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) {
    return new NothingToCommit();
  }

  @Override
  public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
    return new JdbcCommitableSerializer();
  }

  /** The committer of a sink whose writes are final when their transaction commits. */
  static final class NothingToCommit implements Committer<JdbcCommitable> {
    @Override
    public void commit(Collection<CommitRequest<JdbcCommitable>> requests) {
      if (!requests.isEmpty()) {
        throw new IllegalStateException(
            requests.size() + " store transactions to commit, but this sink never prepares one");
      }
    }

    @Override
    public void close() {}
  }

  /** Where a writer's batches go. */
  interface Batches<IN> extends AutoCloseable {
    /** Applies the batch (one record per row) before returning, or throws. */
    void write(List<IN> batch) throws IOException, InterruptedException;
  }

  /** Batches applied to the store through one connection, reopened when it breaks. */
  static final class StoreBatches<IN> implements Batches<IN> {

    private final PersonStoreSink.Settings store;
    private final StagedUpsert<IN> upsert;
    private final int maxRetries;
    private Connection connection;
    private StagedUpsert<IN>.Session session;

    StoreBatches(PersonStoreSink.Settings store, StagedUpsert<IN> upsert, int maxRetries) {
      this.store = store;
      this.upsert = upsert;
      this.maxRetries = maxRetries;
    }

    @Override
    public void write(List<IN> batch) throws IOException, InterruptedException {
      for (int attempt = 0; ; attempt++) {
        try {
          open().apply(batch);
          return;
        } catch (SQLException e) {
          if (attempt >= maxRetries) {
            throw new IOException(
                "writing "
                    + batch.size()
                    + " rows to "
                    + upsert.table()
                    + " failed "
                    + (attempt + 1)
                    + " times; the task restarts from its last checkpoint",
                e);
          }
          LOG.warn(
              "writing {} rows to {} failed (attempt {} of {}), retrying on a new connection: {}",
              batch.size(),
              upsert.table(),
              attempt + 1,
              maxRetries + 1,
              e.getMessage());
          closeConnection();
          Thread.sleep(1000L * (attempt + 1));
        }
      }
    }

    private StagedUpsert<IN>.Session open() throws SQLException {
      if (session == null) {
        Properties p = new Properties();
        p.setProperty("user", store.user());
        if (store.password() != null) {
          p.setProperty("password", store.password());
        }
        // pgjdbc otherwise puts the server's error detail, the failing row's values (personal
        // data), into the exception's message, which reaches the logs and Flink's web UI.
        p.setProperty("logServerErrorDetail", "false");
        connection = DriverManager.getConnection(store.jdbcUrl(), p);
        session = upsert.open(connection);
      }
      return session;
    }

    private void closeConnection() {
      session = null;
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          LOG.debug("closing a failed store connection", e);
        }
        connection = null;
      }
    }

    @Override
    public void close() {
      closeConnection();
    }
  }

  /** Batches one record per row and writes them; a failing close is only logged. */
  static final class Writer<IN>
      implements StatefulSinkWriter<IN, JdbcWriterState>, CommittingSinkWriter<IN, JdbcCommitable> {

    private final Batches<IN> batches;
    private final LatestPerRow<IN> batch;
    private final int batchSize;
    private final long batchIntervalMs;
    private final ProcessingTimeService time;
    private final Counter folded;
    private final CommitTime<IN> commitTime;
    private final Histogram latency;
    private ScheduledFuture<?> timer;

    Writer(
        Batches<IN> batches,
        LatestPerRow.Rule<IN> rule,
        int batchSize,
        long batchIntervalMs,
        ProcessingTimeService time,
        Counter folded,
        CommitTime<IN> commitTime,
        Histogram latency) {
      this.batches = batches;
      this.batch = new LatestPerRow<>(rule);
      this.batchSize = batchSize;
      this.batchIntervalMs = batchIntervalMs;
      this.time = time;
      this.folded = folded;
      this.commitTime = commitTime;
      this.latency = latency;
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
      int rows = batch.size();
      batch.add(element);
      if (batch.size() == rows) {
        folded.inc();
      }
      if (batch.size() >= batchSize) {
        execute();
      } else if (timer == null && batchIntervalMs > 0) {
        timer =
            time.registerTimer(
                time.getCurrentProcessingTime() + batchIntervalMs, now -> onInterval());
      }
    }

    private void onInterval() throws IOException, InterruptedException {
      timer = null;
      execute();
    }

    private void execute() throws IOException, InterruptedException {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      if (batch.size() > 0) {
        List<IN> rows = batch.drain();
        batches.write(rows);
        long committed = time.getCurrentProcessingTime();
        for (IN row : rows) {
          latency.update(Math.max(0, committed - commitTime.millis(row)));
        }
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      execute();
    }

    @Override
    public List<JdbcWriterState> snapshotState(long checkpointId) {
      return List.of();
    }

    @Override
    public Collection<JdbcCommitable> prepareCommit() {
      return List.of();
    }

    @Override
    public void close() {
      if (timer != null) {
        timer.cancel(false);
      }
      try {
        batches.close();
      } catch (Exception e) {
        LOG.warn("closing the store writer failed; its unwritten rows will be replayed", e);
      }
    }
  }
}
