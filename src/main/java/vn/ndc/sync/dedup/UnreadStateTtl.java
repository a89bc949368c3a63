package vn.ndc.sync.dedup;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/** State TTL for entries that may never be read again once written (a row that stops changing). */
public final class UnreadStateTtl {

  private UnreadStateTtl() {}

  /**
   * Expires an entry {@code ttl} after its last write and never returns it once expired. Since
   * nothing may read it again, expiry on access alone would keep it forever: on heap a few entries
   * are checked with every record, on RocksDB expired entries are dropped while compacting.
   */
  public static StateTtlConfig of(Duration ttl) {
    return StateTtlConfig.newBuilder(ttl)
        .updateTtlOnCreateAndWrite()
        .neverReturnExpired()
        .cleanupIncrementally(10, true)
        .cleanupInRocksdbCompactFilter(1000)
        .build();
  }
}
