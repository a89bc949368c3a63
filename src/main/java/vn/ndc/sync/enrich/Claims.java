package vn.ndc.sync.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/** Expiry bookkeeping for map state whose values are expiry times. */
final class Claims {

  private Claims() {}

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
