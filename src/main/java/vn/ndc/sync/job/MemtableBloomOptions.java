package vn.ndc.sync.job;

import java.util.Collection;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB options of every person-sync job: a whole-key bloom filter on each memtable.
 *
 * <p>Most state reads of a change miss (its row's first version, a personal ID no citizen has, a
 * new match key). The files' bloom filters answer those misses, but each read still searched the
 * memtable's skip list first, a tenth of the resolvers' time in a profile (BENCHMARKS.md, step 25).
 * The filter takes {@link #BLOOM_SIZE_RATIO} of each memtable's size from its arena.
 */
public final class MemtableBloomOptions implements ConfigurableRocksDBOptionsFactory {

  private static final long serialVersionUID = 1L;

  /** The memtable filter's share of the memtable's size. */
  static final double BLOOM_SIZE_RATIO = 0.02;

  @Override
  public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
    return current;
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(
      ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
    return current
        .setMemtableWholeKeyFiltering(true)
        .setMemtablePrefixBloomSizeRatio(BLOOM_SIZE_RATIO);
  }

  @Override
  public RocksDBOptionsFactory configure(ReadableConfig configuration) {
    return this;
  }
}
