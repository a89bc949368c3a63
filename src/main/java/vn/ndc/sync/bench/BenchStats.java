package vn.ndc.sync.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Median and spread of repeated runs, and the ratios between parts. */
final class BenchStats {

  private BenchStats() {}

  /** Per figure: median, min, max and spread ((max - min) / median, in %). */
  static Map<String, Map<String, Double>> summarize(List<Map<String, Double>> runs) {
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(r -> names.addAll(r.keySet()));
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (String name : names) {
      List<Double> values = new ArrayList<>();
      for (Map<String, Double> r : runs) {
        Double v = r.get(name);
        if (v != null) {
          values.add(v);
        }
      }
      values.sort(Double::compare);
      int n = values.size();
      double median =
          n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
      Map<String, Double> s = new LinkedHashMap<>();
      s.put("median", round(median));
      s.put("min", round(values.get(0)));
      s.put("max", round(values.get(n - 1)));
      s.put(
          "spread_pct",
          median == 0 ? 0 : round(100 * (values.get(n - 1) - values.get(0)) / median));
      out.put(name, s);
    }
    return out;
  }

  /**
   * The ratios the issue asks for, from the medians of each part; with {@code paired} (the peer's
   * and ndc-sync's runs interleaved), also the median, min and max of the ratios of run i to run i,
   * which a slow stretch of the host skews less than a ratio of medians.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Double> ratios(
      Map<String, Object> parts, List<Integer> rates, boolean paired) {
    Map<String, Double> out = new LinkedHashMap<>();
    Double ndcStream = median(parts, "ndc-sync", "stream_rows_per_s");
    Double ndcSnapshot = median(parts, "ndc-sync", "snapshot_rows_per_s");
    Double peerStream = median(parts, "peer", "stream_rows_per_s");
    Double peerSnapshot = median(parts, "peer", "snapshot_rows_per_s");
    Double ceiling = median(parts, "ceiling", "decode_rows_per_s");
    put(out, "ndc_sync_over_peer_stream", ndcStream, peerStream);
    put(out, "ndc_sync_over_peer_snapshot", ndcSnapshot, peerSnapshot);
    put(out, "ndc_sync_over_ceiling_stream", ndcStream, ceiling);
    put(out, "ndc_sync_over_ceiling_snapshot", ndcSnapshot, ceiling);
    put(out, "peer_over_ceiling_stream", peerStream, ceiling);
    // Debezium alone is the floor under both pipelines: how much of its rate each keeps.
    Double debeziumStream = median(parts, "debezium", "stream_rows_per_s");
    put(out, "ndc_sync_over_debezium_stream", ndcStream, debeziumStream);
    put(out, "peer_over_debezium_stream", peerStream, debeziumStream);
    put(
        out,
        "ndc_sync_over_debezium_snapshot",
        ndcSnapshot,
        median(parts, "debezium", "snapshot_rows_per_s"));
    // CPU is the load-insensitive view of efficiency: > 1 means the peer needs more CPU per row.
    put(
        out,
        "peer_over_ndc_sync_stream_cpu_per_row",
        median(parts, "peer", "stream_cpu_us_per_row"),
        median(parts, "ndc-sync", "stream_cpu_us_per_row"));
    // The same for the pipelines' own work (CpuByRole.Role.OWN), without the load, its decoding,
    // the JIT and the other overheads that do not depend on the pipeline's design.
    put(
        out,
        "peer_over_ndc_sync_stream_own_cpu_per_row",
        median(parts, "peer", "stream_own_cpu_us_per_row"),
        median(parts, "ndc-sync", "stream_own_cpu_us_per_row"));
    if (paired) {
      for (String figure : List.of("stream_rows_per_s", "snapshot_rows_per_s")) {
        pairedRatios(out, parts, figure);
      }
    }
    for (int rate : rates) {
      String p99 = "at_" + rate + "_per_s_p99_ms";
      put(
          out,
          "ndc_sync_over_peer_p99_latency_at_" + rate + "_per_s",
          median(parts, "ndc-sync", p99),
          median(parts, "peer", p99));
    }
    return out;
  }

  private static void put(Map<String, Double> out, String name, Double a, Double b) {
    if (a != null && b != null && b != 0) {
      out.put(name, Math.round(a / b * 1000) / 1000.0);
    }
  }

  @SuppressWarnings("unchecked")
  static Double median(Map<String, Object> parts, String part, String figure) {
    Object p = parts.get(part);
    if (!(p instanceof Map<?, ?> m)) {
      return null;
    }
    Map<String, Map<String, Double>> figures = (Map<String, Map<String, Double>>) m.get("figures");
    Map<String, Double> f = figures == null ? null : figures.get(figure);
    return f == null ? null : f.get("median");
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** ndc-sync's run i over the peer's run i, for every i both have: median, min and max. */
  @SuppressWarnings("unchecked")
  private static void pairedRatios(Map<String, Double> out, Map<String, Object> parts, String f) {
    if (!(parts.get("peer") instanceof Map<?, ?> peer)
        || !(parts.get("ndc-sync") instanceof Map<?, ?> ndc)) {
      return;
    }
    List<Map<String, Double>> peerRuns = (List<Map<String, Double>>) peer.get("runs");
    List<Map<String, Double>> ndcRuns = (List<Map<String, Double>>) ndc.get("runs");
    List<Map<String, Double>> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(peerRuns.size(), ndcRuns.size()); i++) {
      Double n = ndcRuns.get(i).get(f);
      Double p = peerRuns.get(i).get(f);
      if (n != null && p != null && p > 0) {
        ratios.add(Map.of("r", n / p));
      }
    }
    if (ratios.isEmpty()) {
      return;
    }
    Map<String, Double> s = summarize(ratios).get("r");
    String name = "ndc_sync_over_peer_" + f.replace("_rows_per_s", "") + "_paired";
    out.put(name + "_median", s.get("median"));
    out.put(name + "_min", s.get("min"));
    out.put(name + "_max", s.get("max"));
  }
}
