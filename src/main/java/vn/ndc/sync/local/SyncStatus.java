package vn.ndc.sync.local;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import vn.ndc.sync.deliver.NdcTables;

/**
 * Reads how far the pipeline has got: Kafka end offsets and the job's committed offsets, and the
 * contents of the source table and the NDC store.
 */
public final class SyncStatus {

  private final Admin admin;

  public SyncStatus(Admin admin) {
    this.admin = admin;
  }

  /** Sum of the end offsets of every partition of {@code topics} (records ever written). */
  public long endOffsets(Collection<String> topics) {
    return endOffsetsByPartition(topics).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * True when {@code group} has committed, for every partition of {@code topics}, the end offset:
   * everything written so far has been processed and checkpointed.
   */
  public boolean caughtUp(String group, Collection<String> topics) {
    Map<TopicPartition, Long> ends = endOffsetsByPartition(topics);
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed =
          admin
              .listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions())
              .partitionsToOffsetAndMetadata()
              .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false;
    }
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (end.getValue() == 0) {
        continue;
      }
      OffsetAndMetadata c = committed.get(end.getKey());
      if (c == null || c.offset() < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private Map<TopicPartition, Long> endOffsetsByPartition(Collection<String> topics) {
    try {
      Set<TopicPartition> partitions = new HashSet<>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get()
          .forEach(
              (name, d) ->
                  d.partitions()
                      .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
      Map<TopicPartition, OffsetSpec> request =
          partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read offsets of " + topics + ": " + e.getCause(), e);
    }
  }

  /** Personal IDs of the rows of the demo source table. */
  public static Set<String> sourceKeys(Connection source, String table, String keyColumn)
      throws SQLException {
    return keys(source, "SELECT " + keyColumn + " FROM " + table);
  }

  /** Keys of the live (not deleted) merged persons in the NDC store. */
  public static Set<String> ndcKeys(Connection ndc) throws SQLException {
    return keys(ndc, "SELECT person_key FROM " + NdcTables.PERSON + " WHERE NOT deleted");
  }

  private static Set<String> keys(Connection c, String sql) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Latency percentiles (ms) of the agency record versions the store applied since {@code since}
   * (each change's own row, {@code ndc.person_source}): commit→NDC, and its two legs,
   * commit→pipeline ingest and ingest→NDC.
   */
  public static Map<String, Long> latencyPercentiles(Connection ndc, Instant since)
      throws SQLException {
    String sql =
        "SELECT count(*),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY total),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY total),"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY total),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY capture),"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY capture),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY deliver),"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY deliver)"
            + " FROM (SELECT extract(epoch FROM synced_at - source_commit_time) * 1000 AS total,"
            + " extract(epoch FROM ingest_time - source_commit_time) * 1000 AS capture,"
            + " extract(epoch FROM synced_at - ingest_time) * 1000 AS deliver"
            + " FROM "
            + NdcTables.PERSON_SOURCE
            + " WHERE synced_at >= ? AND source_operation <> 'r') t";
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement st = ndc.prepareStatement(sql)) {
      st.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        String[] names = {
          "latency_samples",
          "p50_ms",
          "p95_ms",
          "p99_ms",
          "capture_p50_ms",
          "capture_p99_ms",
          "deliver_p50_ms",
          "deliver_p99_ms"
        };
        for (int i = 0; i < names.length; i++) {
          out.put(names[i], Math.round(rs.getDouble(i + 1)));
        }
      }
    }
    return out;
  }

  /** Row count of a table. */
  public static long count(Connection c, String table, String where) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM " + table + (where == null ? "" : " WHERE " + where))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
