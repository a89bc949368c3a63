package vn.ndc.sync.enrich;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counters of a resolution step by agency and outcome: {@code agency.<a>.method.<m>.matched}, and
 * {@code agency.<a>.staleVersionsDropped}.
 */
final class MatchMetrics {

  private final MetricGroup group;

  // Keyed by the enums themselves: the lookup runs for every record, the names only once.
  private final Map<Key, Counter> counters = new HashMap<>();
  private final Map<String, Counter> stale = new HashMap<>();

  private record Key(String agency, String groupName, Enum<?> value, Enum<?> outcome) {
    String valueName() {
      return value.name();
    }

    String counterName() {
      return outcome == null ? "matched" : outcome.name().toLowerCase(Locale.ROOT);
    }
  }

  MatchMetrics(MetricGroup group) {
    this.group = group;
  }

  /** A record linked to a citizen by {@code method}. */
  void matched(String agency, Enum<?> method) {
    counter(new Key(agency, "method", method, null)).inc();
  }

  /** A record sent to review (or its review status changed) for {@code reason}. */
  void review(String agency, Enum<?> status, Enum<?> reason) {
    counter(new Key(agency, "reason", reason, status)).inc();
  }

  /**
   * A version older than (or the same as) one this step already holds for the row, dropped: the
   * newer one has been or is being resolved. Versions of one row can reach a step by different
   * routes, so one may overtake another.
   */
  void staleDropped(String agency) {
    stale
        .computeIfAbsent(agency, a -> group.addGroup("agency", a).counter("staleVersionsDropped"))
        .inc();
  }

  /** Stale versions dropped so far for {@code agency}, for tests. */
  long staleCount(String agency) {
    Counter counter = stale.get(agency);
    return counter == null ? 0 : counter.getCount();
  }

  /** Current count, for tests and summaries. */
  long count(String agency, String groupName, String value, String name) {
    return counters.entrySet().stream()
        .filter(
            e ->
                e.getKey().agency().equals(agency)
                    && e.getKey().groupName().equals(groupName)
                    && e.getKey().valueName().equals(value)
                    && e.getKey().counterName().equals(name))
        .mapToLong(e -> e.getValue().getCount())
        .sum();
  }

  private Counter counter(Key key) {
    Counter counter = counters.get(key);
    if (counter == null) {
      counter =
          group
              .addGroup("agency", key.agency())
              .addGroup(key.groupName(), key.valueName())
              .counter(key.counterName());
      counters.put(key, counter);
    }
    return counter;
  }
}
