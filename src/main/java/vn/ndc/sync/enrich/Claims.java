package vn.ndc.sync.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import vn.ndc.sync.dedup.UnreadStateTtl;

/**
 * The claims a lookup step keeps for its key (demographic-step keys of records waiting for a
 * citizen the step does not know yet), each for the claim TTL from its last claim.
 *
 * <p>The claims expire through state TTL, not a timer: a timer per key cost a read of the key's
 * timer state for every claim, a RocksDB lookup that misses for nearly every record whose personal
 * ID is not yet a citizen (BENCHMARKS.md, step 24). Each value still holds its expiry, so a claim
 * restored from a checkpoint of the timer-based layout expires when it was due to.
 */
final class Claims {

  private final Duration ttl;
  private final MapState<String, Long> expiries;
  // The timer-based layout's state: read only when one of its timers fires after a restore.
  private final ValueState<Long> legacyTimer;

  Claims(RuntimeContext context, Duration ttl) {
    this.ttl = ttl;
    MapStateDescriptor<String, Long> descriptor =
        new MapStateDescriptor<>("claims", Types.STRING, Types.LONG);
    // Unanswered claims are never read again.
    descriptor.enableTimeToLive(UnreadStateTtl.of(ttl));
    this.expiries = context.getMapState(descriptor);
    this.legacyTimer = context.getState(new ValueStateDescriptor<>("claim-timer", Types.LONG));
  }

  /** Claims {@code key} for the TTL from now. */
  void add(String key, TimerService timers) throws Exception {
    expiries.put(key, timers.currentProcessingTime() + ttl.toMillis());
  }

  /** The keys claimed and not expired at {@code now}. */
  List<String> keys(long now) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Long> claim : expiries.entries()) {
      if (claim.getValue() > now) {
        keys.add(claim.getKey());
      }
    }
    return keys;
  }

  /**
   * The citizen came: every claim is answered and none is left behind. A timer of the timer-based
   * layout is left to fire, finding nothing due, and clears its own state then: clearing it here,
   * for every citizen, would write a RocksDB tombstone for each one that never had a timer.
   */
  void clear() throws Exception {
    expiries.clear();
  }

  /**
   * A timer of the timer-based layout fired (the job was restored from a checkpoint taken before
   * claims expired through TTL): drops the claims due by then; TTL takes the rest.
   */
  void onLegacyTimer(long timestamp) throws Exception {
    legacyTimer.clear();
    List<String> expired = new ArrayList<>();
    for (Map.Entry<String, Long> claim : expiries.entries()) {
      if (claim.getValue() <= timestamp) {
        expired.add(claim.getKey());
      }
    }
    for (String key : expired) {
      expiries.remove(key);
    }
    if (expiries.isEmpty()) {
      expiries.clear();
    }
  }
}
