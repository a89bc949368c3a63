package vn.ndc.sync.enrich;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counters of a resolution step by agency and outcome: {@code agency.<a>.method.<m>.matched}. */
final class MatchMetrics {

  private final MetricGroup group;
  private final Map<String, Counter> counters = new HashMap<>();

  MatchMetrics(MetricGroup group) {
    this.group = group;
  }

  /** A record linked to a citizen by {@code method}. */
  void matched(String agency, Enum<?> method) {
    counter(agency, "method", method.name(), "matched").inc();
  }

  /** A record sent to review (or its review status changed) for {@code reason}. */
  void review(String agency, Enum<?> status, Enum<?> reason) {
    counter(agency, "reason", reason.name(), status.name().toLowerCase(java.util.Locale.ROOT))
        .inc();
  }

  /** Current count, for tests and summaries. */
  long count(String agency, String groupName, String value, String name) {
    Counter c = counters.get(agency + "|" + groupName + "|" + value + "|" + name);
    return c == null ? 0 : c.getCount();
  }

  private Counter counter(String agency, String groupName, String value, String name) {
    return counters.computeIfAbsent(
        agency + "|" + groupName + "|" + value + "|" + name,
        k -> group.addGroup("agency", agency).addGroup(groupName, value).counter(name));
  }
}
