package vn.ndc.sync.deliver;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JdbcSink} whose writer survives an unreachable database: the connector's writer throws
 * from {@code close()} when its last flush failed, and Flink treats an exception thrown while a
 * failed task cleans up as fatal to the whole TaskManager, so a store outage would stop the job for
 * good instead of restarting it. Here {@code close()} logs instead: rows it could not flush were
 * never covered by a checkpoint, so the restarted job writes them again from the raw topics.
 */
public final class RecoverableJdbcSink<IN>
    implements Sink<IN>,
        SupportsWriterState<IN, JdbcWriterState>,
        SupportsCommitter<JdbcCommitable> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RecoverableJdbcSink.class);

  private final JdbcSink<IN> delegate;

  public RecoverableJdbcSink(JdbcSink<IN> delegate) {
    this.delegate = delegate;
  }

  @Override
  public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
    return new Writer<>(delegate.createWriter(context));
  }

  @Override
  public StatefulSinkWriter<IN, JdbcWriterState> restoreWriter(
      WriterInitContext context, Collection<JdbcWriterState> state) throws IOException {
    return new Writer<>(delegate.restoreWriter(context, state));
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

  /** Delegates everything; only a failing close is logged instead of thrown. */
  private static final class Writer<IN, W extends StatefulSinkWriter<IN, JdbcWriterState>>
      implements StatefulSinkWriter<IN, JdbcWriterState>, CommittingSinkWriter<IN, JdbcCommitable> {

    private final W writer;

    Writer(W writer) {
      this.writer = writer;
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
      writer.write(element, context);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
      writer.writeWatermark(watermark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
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
