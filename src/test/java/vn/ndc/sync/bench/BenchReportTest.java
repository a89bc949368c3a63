package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  @Test
  void theBudgetIsWhatTwiceThePeersRateLeavesAfterTheSharedRoles() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("peer", part(Map.of("stream_rows_per_s", List.of(4_000.0, 5_000.0, 6_000.0))));
    parts.put("ndc-sync", ndcSyncWithSharedRoles());
    StringBuilder s = new StringBuilder();

    BenchReport.budget(s, parts, 2);

    // 2 cores at 2 × 5,000 rows/s: 200 µs per row, of which the shared roles take 100.
    assertThat(s.toString())
        .contains("(10,000 rows/s) leaves 200 µs")
        .contains("cost 100 µs per row")
        .contains("leaving 100 µs for the rest")
        .contains("used 300 µs per row in all, 150 of them its own");
  }

  @Test
  void theBudgetSaysWhatDebeziumAloneLeavesForEverythingAfterIt() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put(
        "debezium",
        part(
            Map.of(
                "stream_cpu_us_per_row", List.of(120.0),
                "stream_own_cpu_us_per_row", List.of(40.0))));
    parts.put("peer", part(Map.of("stream_rows_per_s", List.of(5_000.0))));
    parts.put("ndc-sync", ndcSyncWithSharedRoles());
    StringBuilder s = new StringBuilder();

    BenchReport.budget(s, parts, 2);

    // 200 µs per row at twice the peer's rate, 100 shared, 40 Debezium's own: 60 left.
    assertThat(s.toString())
        .contains("Debezium alone, with nothing downstream, used 120 µs")
        .contains("40 of them in its own threads")
        .contains("leaves 60 µs per row at twice the peer's rate");
    assertThat(BenchStats.ratios(parts, List.of(), false))
        .doesNotContainKey("ndc_sync_over_debezium_stream");
  }

  @Test
  void debeziumAloneIsAColumnOfTheReportAndARatio() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("debezium", part(Map.of("stream_rows_per_s", List.of(20_000.0))));
    parts.put("peer", part(Map.of("stream_rows_per_s", List.of(5_000.0))));
    parts.put("ndc-sync", part(Map.of("stream_rows_per_s", List.of(6_000.0))));
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("command", "java -jar target/ndc-sync.jar bench");
    results.put("machine", Map.of("nproc", 2));
    results.put("settings", Map.of("rows", 1000, "rates_per_s", List.of()));
    results.put("parts", parts);
    results.put("ratios", BenchStats.ratios(parts, List.of(), false));

    assertThat(BenchReport.markdown(results))
        .contains("| figure | ceiling (pgoutput reader) | Debezium alone | peer")
        .contains(
            "| decode / end-to-end streaming, rows/s | – | 20,000 (20,000–20,000, 0%) | 5,000")
        .contains("| ndc_sync_over_debezium_stream | 0.3 |")
        .contains("| peer_over_debezium_stream | 0.25 |");
  }

  @Test
  void noBudgetWithoutTheRoleFigures() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("peer", part(Map.of("stream_rows_per_s", List.of(5_000.0))));
    parts.put("ndc-sync", part(Map.of("stream_cpu_us_per_row", List.of(300.0))));
    StringBuilder s = new StringBuilder();

    BenchReport.budget(s, parts, 2);

    assertThat(s.toString()).isEmpty();
  }

  @Test
  void theReportNamesTheParallelismOfNdcSyncsJob() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("peer", part(Map.of("stream_rows_per_s", List.of(5_000.0))));
    parts.put("ndc-sync", part(Map.of("stream_rows_per_s", List.of(6_000.0))));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("rows", 1000);
    settings.put("rates_per_s", List.of());
    settings.put("ndc_sync_parallelism", 1);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("command", "java -jar target/ndc-sync.jar bench --parallelism 1");
    results.put("machine", Map.of("nproc", 2));
    results.put("settings", settings);
    results.put("parts", parts);
    results.put("ratios", Map.of());

    assertThat(BenchReport.markdown(results))
        .contains(
            "ndc-sync's job runs with parallelism 1; the peer's connectors run one task each.");
  }

  @Test
  void interleavedRunsAreComparedRunByRun() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("peer", part(Map.of("stream_rows_per_s", List.of(6_000.0, 4_000.0, 5_000.0))));
    // Run 2 on a slow stretch for both: the ratio of medians says 1.2, each pair 1.2 to 1.5.
    parts.put("ndc-sync", part(Map.of("stream_rows_per_s", List.of(7_200.0, 6_000.0, 6_500.0))));

    Map<String, Double> paired = BenchStats.ratios(parts, List.of(), true);
    Map<String, Double> unpaired = BenchStats.ratios(parts, List.of(), false);

    assertThat(paired)
        .containsEntry("ndc_sync_over_peer_stream", 1.3)
        .containsEntry("ndc_sync_over_peer_stream_paired_median", 1.3)
        .containsEntry("ndc_sync_over_peer_stream_paired_min", 1.2)
        .containsEntry("ndc_sync_over_peer_stream_paired_max", 1.5)
        .doesNotContainKey("ndc_sync_over_peer_snapshot_paired_median");
    assertThat(unpaired).doesNotContainKey("ndc_sync_over_peer_stream_paired_median");
  }

  /**
   * ndc-sync at 300 µs per streamed row, 150 its own; the roles every part pays alike take 100, and
   * the broker, whose work depends on what each pipeline writes, is not one of them.
   */
  private static Map<String, Object> ndcSyncWithSharedRoles() {
    return part(
        Map.of(
            "stream_cpu_us_per_row", List.of(300.0),
            "stream_own_cpu_us_per_row", List.of(150.0),
            "stream_cpu_us_per_row_role_load_generator", List.of(20.0),
            "stream_cpu_us_per_row_role_source_database", List.of(30.0),
            "stream_cpu_us_per_row_role_decoding", List.of(50.0),
            "stream_cpu_us_per_row_role_broker", List.of(10.0)));
  }

  private static Map<String, Object> part(Map<String, List<Double>> runsByFigure) {
    List<Map<String, Double>> runs = new java.util.ArrayList<>();
    runsByFigure.forEach(
        (figure, values) -> {
          for (int i = 0; i < values.size(); i++) {
            if (runs.size() <= i) {
              runs.add(new LinkedHashMap<>());
            }
            runs.get(i).put(figure, values.get(i));
          }
        });
    return Map.of("figures", BenchStats.summarize(runs), "runs", runs, "memory_mib", Map.of());
  }
}
