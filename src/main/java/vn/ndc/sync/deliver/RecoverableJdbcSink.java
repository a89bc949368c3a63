package vn.ndc.sync.deliver;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JdbcSink} whose batches hold one record per row and whose writer survives an unreachable
 * database.
 *
 * <p>Batches: records wait in a {@link LatestPerRow} until it holds {@code batchSize} rows, until
 * {@code batchIntervalMs} after the first of them (a timer of the task, so the batch is handed over
 * on the task's own thread), or until a checkpoint; then the whole batch goes to the connector's
 * writer and is executed. With one record per row, the driver may send a batch as multi-row
 * statements (pgjdbc's {@code reWriteBatchedInserts}).
 *
 * <p>Outages: the connector's writer throws from {@code close()} when its last flush failed, and
 * Flink treats an exception thrown while a failed task cleans up as fatal to the whole TaskManager,
 * so a store outage would stop the job for good instead of restarting it. Here {@code close()} logs
 * instead: rows it could not flush were never covered by a checkpoint, so the restarted job writes
 * them again from the raw topics.
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

  private final JdbcSink<IN> delegate;
  private final LatestPerRow.Rule<IN> rule;
  private final int batchSize;
  private final long batchIntervalMs;

  /**
   * @param delegate the connector's sink; it must not flush on a timer of its own (batch interval
   *     0) and its batch size must be at least {@code batchSize}, so that it executes exactly the
   *     batches it is handed
   */
  public RecoverableJdbcSink(
      JdbcSink<IN> delegate, LatestPerRow.Rule<IN> rule, int batchSize, long batchIntervalMs) {
    if (batchSize < 1 || batchIntervalMs < 0) {
      throw new IllegalArgumentException(
          "batch size must be at least 1 and the batch interval not negative, got "
              + batchSize
              + " and "
              + batchIntervalMs
              + " ms");
    }
    this.delegate = delegate;
    this.rule = rule;
    this.batchSize = batchSize;
    this.batchIntervalMs = batchIntervalMs;
  }

  @Override
  public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
    return new Writer<>(
        delegate.createWriter(new RetainedInput(context)),
        rule,
        batchSize,
        batchIntervalMs,
        context.getProcessingTimeService(),
        context.metricGroup().counter(VERSIONS_FOLDED));
  }

  @Override
  public StatefulSinkWriter<IN, JdbcWriterState> restoreWriter(
      WriterInitContext context, Collection<JdbcWriterState> state) throws IOException {
    return new Writer<>(
        delegate.restoreWriter(new RetainedInput(context), state),
        rule,
        batchSize,
        batchIntervalMs,
        context.getProcessingTimeService(),
        context.metricGroup().counter(VERSIONS_FOLDED));
  }

  @Override
  public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
    return delegate.getWriterStateSerializer();
  }

  @Override
  public Committer<JdbcCommitable> createCommitter(CommitterInitContext context)
      throws IOException {
    return delegate.createCommitter(context);
  }

  @Override
  public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
    return delegate.getCommittableSerializer();
  }

  /**
   * The connector's writer as this sink's writer sees it: with object reuse on, the connector
   * copies every record it is handed, in case the producer reuses it. This writer already keeps
   * each record in its batch across calls, which is only right because no record reaching it is
   * reused (the stores' inputs come off the network or from operators that build a new record per
   * output); a second copy per record would protect nothing (BENCHMARKS.md, step 26).
   */
  static final class RetainedInput implements WriterInitContext {

    private final WriterInitContext context;

    RetainedInput(WriterInitContext context) {
      this.context = context;
    }

    @Override
    public boolean isObjectReuseEnabled() {
      return false;
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
      return context.getUserCodeClassLoader();
    }

    @Override
    public MailboxExecutor getMailboxExecutor() {
      return context.getMailboxExecutor();
    }

    @Override
    public ProcessingTimeService getProcessingTimeService() {
      return context.getProcessingTimeService();
    }

    @Override
    public SinkWriterMetricGroup metricGroup() {
      return context.metricGroup();
    }

    @Override
    public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
      return context.asSerializationSchemaInitializationContext();
    }

    @Override
    public <T> TypeSerializer<T> createInputSerializer() {
      return context.createInputSerializer();
    }

    @Override
    public <M> Optional<Consumer<M>> metadataConsumer() {
      return context.metadataConsumer();
    }

    @Override
    public OptionalLong getRestoredCheckpointId() {
      return context.getRestoredCheckpointId();
    }

    @Override
    public JobInfo getJobInfo() {
      return context.getJobInfo();
    }

    @Override
    public TaskInfo getTaskInfo() {
      return context.getTaskInfo();
    }
  }

  /** Batches one record per row for the connector's writer; a failing close is only logged. */
  static final class Writer<IN, W extends StatefulSinkWriter<IN, JdbcWriterState>>
      implements StatefulSinkWriter<IN, JdbcWriterState>, CommittingSinkWriter<IN, JdbcCommitable> {

    private final W writer;
    private final LatestPerRow<IN> batch;
    private final int batchSize;
    private final long batchIntervalMs;
    private final ProcessingTimeService time;
    private final Counter folded;
    private ScheduledFuture<?> timer;

    Writer(
        W writer,
        LatestPerRow.Rule<IN> rule,
        int batchSize,
        long batchIntervalMs,
        ProcessingTimeService time,
        Counter folded) {
      this.writer = writer;
      this.batch = new LatestPerRow<>(rule);
      this.batchSize = batchSize;
      this.batchIntervalMs = batchIntervalMs;
      this.time = time;
      this.folded = folded;
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
      handOver();
      writer.flush(false);
    }

    /** Hands the batch to the connector's writer, which holds it until its next flush. */
    private void handOver() throws IOException, InterruptedException {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      for (IN record : batch.drain()) {
        writer.write(record, null);
      }
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
      writer.writeWatermark(watermark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      handOver();
      writer.flush(endOfInput);
    }

    @Override
    public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
      return writer.snapshotState(checkpointId);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
      return ((CommittingSinkWriter<IN, JdbcCommitable>) writer).prepareCommit();
    }

    @Override
    public void close() {
      try {
        writer.close();
      } catch (Exception e) {
        LOG.warn("closing the JDBC writer failed; its unflushed rows will be replayed", e);
      }
    }
  }
}
