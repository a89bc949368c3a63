package vn.ndc.sync.enrich;

import java.lang.reflect.Field;
import java.util.Collection;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.job.FlinkEnvironments;
import vn.ndc.sync.job.MemtableBloomOptions;

/**
 * What an operator's keyed state did in RocksDB: deletes written (tombstones) and iterators
 * positioned (seeks), on a state backend configured as the jobs configure it.
 */
final class RocksDbProbe {

  // Options factories are instantiated by class name, so the statistics of the database opened
  // last are handed over through this field; the tests open one harness at a time.
  private static volatile Statistics opened;

  private RocksDbProbe() {}

  /** The jobs' RocksDB settings, with statistics kept for {@link #of}. */
  static EmbeddedRocksDBStateBackend stateBackend() {
    Configuration conf = FlinkEnvironments.stateBackend(PersonSyncOptions.StateBackendKind.ROCKSDB);
    conf.set(RocksDBOptions.OPTIONS_FACTORY, WithStatistics.class.getName());
    // A harness has next to no managed memory; this keeps every write in the active memtable.
    conf.set(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, MemorySize.ofMebiBytes(256));
    return new EmbeddedRocksDBStateBackend().configure(conf, RocksDbProbe.class.getClassLoader());
  }

  /** Counters of the database behind {@code operator}, opened on {@link #stateBackend}. */
  static Counts of(AbstractStreamOperator<?> operator) throws ReflectiveOperationException {
    KeyedStateBackend<?> backend = operator.getKeyedStateBackend();
    if (!(backend instanceof RocksDBKeyedStateBackend<?>)) {
      throw new IllegalStateException("not on RocksDB: " + backend);
    }
    Field db = RocksDBKeyedStateBackend.class.getDeclaredField("db");
    db.setAccessible(true);
    return new Counts((RocksDB) db.get(backend), opened);
  }

  /** Live counters of one database. */
  static final class Counts {
    private final RocksDB db;
    private final Statistics statistics;

    private Counts(RocksDB db, Statistics statistics) {
      this.db = db;
      this.statistics = statistics;
    }

    /** Deletes in the memtables of every column family (the tests write too little to flush). */
    long deletes() throws RocksDBException {
      return db.getAggregatedLongProperty("rocksdb.num-deletes-active-mem-table")
          + db.getAggregatedLongProperty("rocksdb.num-deletes-imm-mem-tables");
    }

    /** Iterators positioned: every scan of a map state, and every {@code isEmpty} or clear. */
    long seeks() {
      return statistics.getTickerCount(TickerType.NUMBER_DB_SEEK);
    }
  }

  /** The jobs' options factory, plus statistics. */
  public static final class WithStatistics implements ConfigurableRocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;
    private final MemtableBloomOptions jobs = new MemtableBloomOptions();

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
      Statistics statistics = new Statistics();
      handlesToClose.add(statistics);
      opened = statistics;
      return jobs.createDBOptions(current, handlesToClose).setStatistics(statistics);
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(
        ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
      return jobs.createColumnOptions(current, handlesToClose);
    }

    @Override
    public RocksDBOptionsFactory configure(ReadableConfig configuration) {
      return this;
    }
  }
}
