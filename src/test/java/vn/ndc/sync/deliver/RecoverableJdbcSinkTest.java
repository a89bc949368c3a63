package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.junit.jupiter.api.Test;

/** When the store's writer applies a batch, and what the batch holds. */
class RecoverableJdbcSinkTest {

  /** Records written as "row:version"; the later version of a row wins. */
  private static final LatestPerRow.Rule<String> LATEST_VERSION =
      new LatestPerRow.Rule<>() {
        @Override
        public Object row(String record) {
          return record.split(":")[0];
        }

        @Override
        public String after(String earlier, String later) {
          return version(later) > version(earlier) ? later : earlier;
        }

        private int version(String record) {
          return Integer.parseInt(record.split(":")[1]);
        }
      };

  private final RecordingBatches store = new RecordingBatches();
  private final ManualTime time = new ManualTime();
  private final SimpleCounter folded = new SimpleCounter();
  private final DescriptiveStatisticsHistogram latency = new DescriptiveStatisticsHistogram(100);

  private RecoverableJdbcSink.Writer<String> writer(int batchSize, long intervalMs) {
    // Each record's source commit time is its version, in ms.
    return new RecoverableJdbcSink.Writer<>(
        store,
        LATEST_VERSION,
        batchSize,
        intervalMs,
        time,
        folded,
        r -> Long.parseLong(r.split(":")[1]),
        latency);
  }

  @Test
  void aPartialBatchWaitsForTheIntervalThenGoesAsOneRecordPerRow() throws Exception {
    var writer = writer(10, 100);
    writer.write("a:1", null);
    time.now = 40;
    writer.write("b:1", null);
    writer.write("a:3", null);
    writer.write("a:2", null);
    assertThat(store.calls).isEmpty();
    assertThat(time.due).as("one timer, from the first record").containsExactly(100L);

    time.fire();

    assertThat(store.calls).containsExactly("a:3", "b:1", "applied");
    assertThat(folded.getCount()).as("a:1 and a:2 were folded into a:3").isEqualTo(2);
    assertThat(latency.getCount()).as("one latency per row written").isEqualTo(2);
    assertThat(latency.getStatistics().getMin()).as("a:3, committed at 3 ms").isEqualTo(97);
    assertThat(latency.getStatistics().getMax()).as("b:1, committed at 1 ms").isEqualTo(99);
    writer.write("c:1", null);
    assertThat(time.due).as("the next batch starts its own interval").containsExactly(200L);
  }

  @Test
  void aFullBatchGoesAtOnceAndItsTimerIsCancelled() throws Exception {
    var writer = writer(2, 100);
    writer.write("a:1", null);
    writer.write("a:2", null);
    assertThat(store.calls).as("two versions of one row are one row").isEmpty();
    writer.write("b:1", null);

    assertThat(store.calls).containsExactly("a:2", "b:1", "applied");
    assertThat(folded.getCount()).isEqualTo(1);
    assertThat(time.cancelled).isTrue();
  }

  @Test
  void aCheckpointFlushWritesTheWaitingRecordsAndAnEmptyOneWritesNothing() throws Exception {
    var writer = writer(10, 100);
    writer.write("a:1", null);
    writer.flush(false);
    assertThat(store.calls).containsExactly("a:1", "applied");
    assertThat(time.cancelled).as("the batch's timer went with it").isTrue();
    writer.flush(true);
    assertThat(store.calls).as("no empty round trip").containsExactly("a:1", "applied");
    assertThat(writer.snapshotState(1)).isEmpty();
    assertThat(writer.prepareCommit()).isEmpty();
  }

  @Test
  void closingAWriterWhoseStoreFailsOnlyLogs() {
    store.failOnClose = true;
    writer(10, 100).close();
    assertThat(store.closed).isTrue();
  }

  /** The store's batches, recording what they are handed. */
  private static final class RecordingBatches implements RecoverableJdbcSink.Batches<String> {
    final List<String> calls = new ArrayList<>();
    boolean failOnClose;
    boolean closed;

    @Override
    public void write(List<String> batch) {
      calls.addAll(batch);
      calls.add("applied");
    }

    @Override
    public void close() throws Exception {
      closed = true;
      if (failOnClose) {
        throw new java.sql.SQLException("the store is unreachable");
      }
    }
  }

  /** Processing time the test moves; one timer at a time, as the writer registers them. */
  private static final class ManualTime implements ProcessingTimeService {
    long now;
    final Collection<Long> due = new ArrayList<>();
    ProcessingTimeCallback callback;
    boolean cancelled;

    @Override
    public long getCurrentProcessingTime() {
      return now;
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
      due.clear();
      due.add(timestamp);
      callback = target;
      cancelled = false;
      return new Pending();
    }

    void fire() throws Exception {
      now = due.iterator().next();
      due.clear();
      callback.onProcessingTime(now);
    }

    /** A timer the writer may cancel. */
    private final class Pending implements ScheduledFuture<Object> {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        cancelled = true;
        due.clear();
        return true;
      }

      @Override
      public long getDelay(TimeUnit unit) {
        return 0;
      }

      @Override
      public int compareTo(java.util.concurrent.Delayed o) {
        return 0;
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }

      @Override
      public boolean isDone() {
        return false;
      }

      @Override
      public Object get() {
        return null;
      }

      @Override
      public Object get(long timeout, TimeUnit unit) {
        return null;
      }
    }
  }
}
