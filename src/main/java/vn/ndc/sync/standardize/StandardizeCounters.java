package vn.ndc.sync.standardize;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Flink counters of the standardize step, per source agency: records mapped, records dead-lettered,
 * dead letters per rule and tombstones skipped — exported as {@code ndc.agency.<agency>.mapped},
 * {@code ndc.agency.<agency>.deadLettered}, {@code ndc.agency.<agency>.rule.<rule>.deadLetters} and
 * {@code ndc.agency.<agency>.tombstonesSkipped} (with agency and rule as labels in reporters that
 * support them).
 */
public final class StandardizeCounters {

  private final MetricGroup root;
  private final Map<String, Counter> counters = new HashMap<>();

  public StandardizeCounters(MetricGroup operatorGroup) {
    this.root = operatorGroup.addGroup("ndc");
  }

  /** One record of {@code agency} mapped to its canonical entity. */
  public void mapped(String agency) {
    agencyCounter(agency, "mapped").inc();
  }

  /** One record of {@code agency} dead-lettered by {@code rule}. */
  public void deadLettered(String agency, String rule) {
    agencyCounter(agency, "deadLettered").inc();
    counters
        .computeIfAbsent(
            agency + "|rule|" + rule,
            k -> root.addGroup("agency", agency).addGroup("rule", rule).counter("deadLetters"))
        .inc();
  }

  /** One tombstone of {@code agency} skipped (Debezium's empty record after a delete). */
  public void tombstoneSkipped(String agency) {
    agencyCounter(agency, "tombstonesSkipped").inc();
  }

  /**
   * One retraction of a superseded version of {@code agency} (or delete of it under its old
   * identity) sent ahead of its update.
   */
  public void retractionSent(String agency) {
    agencyCounter(agency, "retractionsSent").inc();
  }

  private Counter agencyCounter(String agency, String name) {
    return counters.computeIfAbsent(
        agency + "|" + name, k -> root.addGroup("agency", agency).counter(name));
  }
}
