package vn.ndc.sync.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The claims a lookup step keeps for its key (demographic-step keys of records waiting for a
 * citizen the step does not know yet), each for the claim TTL, with one timer at the earliest
 * expiry.
 */
final class Claims {

  private final Duration ttl;
  private final MapState<String, Long> expiries;
  private final ExpiryTimer timer;

  Claims(RuntimeContext context, Duration ttl) {
    this.ttl = ttl;
    this.expiries =
        context.getMapState(new MapStateDescriptor<>("claims", Types.STRING, Types.LONG));
    this.timer = new ExpiryTimer(context, "claim-timer");
  }

  /** Claims {@code key} for the TTL from now. */
  void add(String key, TimerService timers) throws Exception {
    long expiry = timers.currentProcessingTime() + ttl.toMillis();
    expiries.put(key, expiry);
    // Nothing was removed, so the earliest expiry is the timer's or this one; reading every claim
    // back would cost a state iteration per record.
    timer.scheduleNoLaterThan(expiry, timers);
  }

  /** The claimed keys. */
  Iterable<String> keys() throws Exception {
    return expiries.keys();
  }

  /** The citizen came: every claim is answered and none is left behind. */
  void clear(TimerService timers) throws Exception {
    expiries.clear();
    timer.schedule(null, timers);
  }

  /** Drops the claims expired at {@code timestamp}; called from onTimer. */
  void onTimer(long timestamp, TimerService timers) throws Exception {
    timer.fired();
    expire(expiries, timestamp);
    timer.schedule(earliest(expiries), timers);
  }

  /** Removes the entries expired at {@code now}; an emptied map leaves no state behind. */
  static void expire(MapState<String, Long> expiries, long now) throws Exception {
    List<String> expired = new ArrayList<>();
    for (Map.Entry<String, Long> e : expiries.entries()) {
      if (e.getValue() <= now) {
        expired.add(e.getKey());
      }
    }
    for (String key : expired) {
      expiries.remove(key);
    }
    if (expiries.isEmpty()) {
      expiries.clear();
    }
  }

  /** The earliest expiry, or null when there is none. */
  static Long earliest(MapState<String, Long> expiries) throws Exception {
    Long min = null;
    for (Long at : expiries.values()) {
      min = min == null ? at : Math.min(min, at);
    }
    return min;
  }
}
