package vn.ndc.sync.job;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB settings that shorten the synchronous phase of a checkpoint, during which a keyed task
 * processes no records.
 *
 * <p>That phase flushes every memtable of the instance, one column family (one state) after
 * another, each flush waiting for a thread of RocksDB's flush pool. The pool is shared by every
 * instance of the JVM, and with Flink's default of two background jobs it has one thread: at each
 * checkpoint the flushes of all keyed subtasks queued behind each other, and each task stood still
 * for 0.25–1.2 s (BENCHMARKS.md, step 22). An atomic flush writes all column families of an
 * instance in one job, and several flush threads let the instances flush side by side.
 */
public final class CheckpointFlushOptions implements RocksDBOptionsFactory {

  private static final long serialVersionUID = 1L;

  /** Flush threads of the JVM's shared RocksDB pool. */
  static final int FLUSH_THREADS = 4;

  @Override
  public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
    // Setting the flush limit switches RocksDB from deriving both limits from max_background_jobs
    // to taking them as given, so the compaction limit is set to what it derived before (one).
    return current
        .setAtomicFlush(true)
        .setMaxBackgroundFlushes(FLUSH_THREADS)
        .setMaxBackgroundCompactions(1);
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(
      ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
    return current;
  }
}
