package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class CheckpointFlushOptionsTest {

  @Test
  void checkpointFlushesAreAtomicAndRunSideBySideWhileCompactionsStayAtOne() {
    RocksDB.loadLibrary();
    // What Flink hands the factory: its two background jobs (one flush, one compaction).
    try (DBOptions flinkDefaults = new DBOptions().setMaxBackgroundJobs(2)) {
      DBOptions options =
          new CheckpointFlushOptions().createDBOptions(flinkDefaults, new ArrayList<>());

      assertThat(options.atomicFlush()).isTrue();
      assertThat(options.maxBackgroundFlushes()).isEqualTo(CheckpointFlushOptions.FLUSH_THREADS);
      assertThat(options.maxBackgroundCompactions()).isEqualTo(1);
    }
  }
}
