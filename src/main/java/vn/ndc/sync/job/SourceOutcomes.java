package vn.ndc.sync.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Flink counters of one outcome (delivered, dead-lettered, ...) per source agency. */
final class SourceOutcomes {

  private final MetricGroup group;
  private final String outcome;
  private final Map<String, Counter> counters = new HashMap<>();

  SourceOutcomes(MetricGroup group, String outcome) {
    this.group = group;
    this.outcome = outcome;
  }

  void inc(String agency) {
    String key = agency == null ? "unknown" : agency;
    counters.computeIfAbsent(key, a -> group.addGroup("agency", a).counter(outcome)).inc();
  }
}
