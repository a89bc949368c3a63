package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;

/** Every column family gets a whole-key bloom filter on its memtable; nothing else changes. */
class MemtableBloomOptionsTest {

  @Test
  void columnFamiliesGetAWholeKeyMemtableFilter() {
    RocksDB.loadLibrary();
    var factory = new MemtableBloomOptions().configure(new Configuration());
    try (ColumnFamilyOptions options = new ColumnFamilyOptions()) {
      long writeBuffer = options.writeBufferSize();
      ColumnFamilyOptions result = factory.createColumnOptions(options, new ArrayList<>());

      assertThat(result.memtableWholeKeyFiltering()).isTrue();
      assertThat(result.memtablePrefixBloomSizeRatio())
          .isEqualTo(MemtableBloomOptions.BLOOM_SIZE_RATIO);
      assertThat(result.writeBufferSize()).isEqualTo(writeBuffer);
    }
  }
}
