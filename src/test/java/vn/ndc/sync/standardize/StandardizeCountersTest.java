package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Counters per agency and rule, under the names a metrics reporter exports. */
class StandardizeCountersTest {

  /** Records every metric registered below it by its dotted path. */
  private static final class RecordingGroup extends UnregisteredMetricsGroup {
    private final String path;
    private final Map<String, Metric> metrics;

    RecordingGroup(String path, Map<String, Metric> metrics) {
      this.path = path;
      this.metrics = metrics;
    }

    @Override
    public MetricGroup addGroup(String name) {
      return new RecordingGroup(path + name + ".", metrics);
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new RecordingGroup(path + key + "." + value + ".", metrics);
    }

    @Override
    public Counter counter(String name) {
      return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      metrics.put(path + name, counter);
      return counter;
    }
  }

  @Test
  void countsMappedAndDeadLetteredPerAgencyAndRule() {
    Map<String, Metric> metrics = new TreeMap<>();
    StandardizeCounters counters = new StandardizeCounters(new RecordingGroup("", metrics));

    counters.mapped("civil-registry");
    counters.mapped("civil-registry");
    counters.mapped("health-insurance");
    counters.deadLettered("civil-registry", "person.personal-id.format");
    counters.deadLettered("civil-registry", "person.personal-id.format");
    counters.deadLettered("civil-registry", "person.date-of-birth.future");
    counters.tombstoneSkipped("land-registry");

    Map<String, Long> counts = new TreeMap<>();
    metrics.forEach((name, metric) -> counts.put(name, ((Counter) metric).getCount()));
    assertThat(counts)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "ndc.agency.civil-registry.mapped", 2L,
                    "ndc.agency.civil-registry.deadLettered", 3L,
                    "ndc.agency.civil-registry.rule.person.personal-id.format.deadLetters", 2L,
                    "ndc.agency.civil-registry.rule.person.date-of-birth.future.deadLetters", 1L,
                    "ndc.agency.health-insurance.mapped", 1L,
                    "ndc.agency.land-registry.tombstonesSkipped", 1L)));
  }
}
