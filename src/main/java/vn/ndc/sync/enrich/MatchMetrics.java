package vn.ndc.sync.enrich;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counters of a resolution step by agency and outcome: {@code agency.<a>.method.<m>.matched}. */
final class MatchMetrics {

  private final MetricGroup group;

  // Keyed by the enums themselves: the lookup runs for every record, the names only once.
  private final Map<Key, Counter> counters = new HashMap<>();

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
