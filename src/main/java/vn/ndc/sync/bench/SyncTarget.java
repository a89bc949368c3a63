package vn.ndc.sync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import vn.ndc.sync.local.VietnamesePeople;

/** A pipeline under test: it captures the bench table of one database into a store table. */
interface SyncTarget {

  /** Short name used in the report. */
  String name();

  /** Starts capturing {@code sourceDatabase}; rows already in it are snapshotted. */
  void start(String sourceDatabase) throws Exception;

  /** Rows that reached the store (or were dead-lettered) since {@link #start}. */
  long storedRows() throws Exception;

  /** The store's clock when it applied its newest row. */
  Instant lastSyncedAt() throws Exception;

  /** Commit→store latency percentiles (ms) of the rows committed at or after {@code since}. */
  Map<String, Double> latency(Instant since) throws Exception;

  /** Throws, saying why, when the pipeline has failed. */
  void checkHealthy() throws Exception;

  /** Stops capturing and removes what {@link #start} created (topics, sink tables). */
  void stop() throws Exception;

  /**
   * Called after the snapshot is measured and before the streaming phase inserts {@code count} more
   * rows, the people the generator from {@code upcoming} makes next; returns true when it did work
   * (which the streaming phase's CPU must then not include). A target that needs nothing returns
   * false.
   */
  default boolean beforeStreaming(Supplier<VietnamesePeople> upcoming, long count)
      throws Exception {
    return false;
  }

  /** Extra figures of the streamed rows the target can compute itself (may be empty). */
  default Map<String, Double> streamDetails() throws Exception {
    return Map.of();
  }

  /** Extra figures of the last snapshot the target can compute itself (may be empty). */
  default Map<String, Double> snapshotDetails() throws Exception {
    return Map.of();
  }

  /**
   * Percentiles of {@code expressionMs} over {@code fromWhere}, whose single parameter is a time.
   */
  static Map<String, Double> percentiles(
      Connection c, String expressionMs, String fromWhere, Instant since) throws SQLException {
    String sql =
        "SELECT count(*),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY ms),"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),"
            + " max(ms)"
            + " FROM (SELECT "
            + expressionMs
            + " AS ms "
            + fromWhere
            + ") t";
    Map<String, Double> out = new LinkedHashMap<>();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        out.put("samples", (double) rs.getLong(1));
        out.put("p50_ms", rs.getDouble(2));
        out.put("p95_ms", rs.getDouble(3));
        out.put("p99_ms", rs.getDouble(4));
        out.put("max_ms", rs.getDouble(5));
      }
    }
    return out;
  }

  /** A single timestamp from a query. */
  static Instant instant(Connection c, String sql) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      Timestamp t = rs.getTimestamp(1);
      return t == null ? null : t.toInstant();
    }
  }
}
