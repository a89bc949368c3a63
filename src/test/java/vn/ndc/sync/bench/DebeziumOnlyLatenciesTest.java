package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebeziumOnlyLatenciesTest {

  @Test
  void percentilesInterpolateBetweenRanksOfTheChangesCommittedSinceTheGivenTime() {
    DebeziumOnlyTarget.Latencies latencies = new DebeziumOnlyTarget.Latencies();
    // Committed before the paced load: not counted, however slow.
    for (int i = 0; i < 70_000; i++) {
      latencies.add(1_000, 9_999);
    }
    for (int ms = 100; ms >= 1; ms--) {
      latencies.add(2_000 + ms, ms);
    }

    var figures = latencies.since(2_000);

    assertThat(figures.get("samples")).isEqualTo(100);
    assertThat(figures.get("p50_ms")).isEqualTo(50.5);
    assertThat(figures.get("p95_ms")).isEqualTo(95.05, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(figures.get("p99_ms")).isEqualTo(99.01, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(figures.get("max_ms")).isEqualTo(100);
  }

  @Test
  void noChangesSinceGivesACountOfZeroAndNoPercentiles() {
    DebeziumOnlyTarget.Latencies latencies = new DebeziumOnlyTarget.Latencies();
    latencies.add(1_000, 5);

    assertThat(latencies.since(2_000)).containsEntry("samples", 0.0).doesNotContainKey("p99_ms");
  }
}
