package vn.ndc.sync.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.SyncStatus;

/**
 * The peer: Debezium PostgreSQL source → Kafka → Debezium JDBC sink into PostgreSQL, both in one
 * Kafka Connect standalone worker with the JsonConverter (schemas enabled) and default settings
 * apart from what the JDBC sink needs to upsert and create nothing itself.
 */
final class PeerTarget implements SyncTarget {

  /** Sink table: the source columns plus {@code synced_at}, the store's clock at insert. */
  private static final String SINK_DDL =
      "CREATE TABLE public.nhan_khau ("
          + " id bigint PRIMARY KEY,"
          + " so_dinh_danh varchar(12),"
          + " so_cmnd varchar(9),"
          + " ho_ten text NOT NULL,"
          + " ngay_sinh varchar(10),"
          + " gioi_tinh varchar(3),"
          + " dan_toc text,"
          + " quoc_tich text,"
          + " dia_chi_thuong_tru text,"
          + " so_dien_thoai text,"
          + " cap_nhat_luc timestamp,"
          + " tao_luc timestamptz,"
          + " synced_at timestamptz NOT NULL DEFAULT clock_timestamp())";

  private final ConnectWorker worker;
  private final LocalPostgres postgres;
  private final LocalKafka kafka;
  private final String run;
  private String sinkDatabase;
  private String topic;

  PeerTarget(ConnectWorker worker, LocalPostgres postgres, LocalKafka kafka, String run) {
    this.worker = worker;
    this.postgres = postgres;
    this.kafka = kafka;
    this.run = run;
  }

  @Override
  public String name() {
    return "peer";
  }

  @Override
  public void start(String sourceDatabase) throws Exception {
    // Named apart from the source databases, so the CPU split by role can tell them apart.
    sinkDatabase = run + "_sink";
    BenchTable.drop(postgres, sinkDatabase);
    postgres.createDatabaseIfMissing(sinkDatabase);
    try (Connection c = postgres.connect(sinkDatabase);
        Statement st = c.createStatement()) {
      st.execute(SINK_DDL);
    }
    topic = run + "." + BenchTable.TABLE;
    kafka.createTopic(topic, 1, false);

    Map<String, String> sink = new LinkedHashMap<>();
    sink.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
    sink.put("topics", topic);
    sink.put("connection.url", postgres.jdbcUrl(sinkDatabase));
    sink.put("connection.username", postgres.user());
    sink.put("connection.password", postgres.password());
    sink.put("insert.mode", "upsert");
    sink.put("primary.key.mode", "record_key");
    sink.put("delete.enabled", "true");
    sink.put("schema.evolution", "basic");
    sink.put("collection.name.format", "nhan_khau");
    worker.create(run + "-sink", sink);

    worker.create(run + "-source", sourceConnector(postgres, sourceDatabase, run));
  }

  /**
   * The peer's Debezium source connector: Debezium's defaults but for what names the source, its
   * slot and publication (filtered to the bench table) and its topics' prefix {@code run}.
   */
  static Map<String, String> sourceConnector(
      LocalPostgres postgres, String sourceDatabase, String run) {
    Map<String, String> source = new LinkedHashMap<>();
    source.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    source.put("database.hostname", postgres.host());
    source.put("database.port", String.valueOf(postgres.port()));
    source.put("database.user", postgres.user());
    source.put("database.password", postgres.password());
    source.put("database.dbname", sourceDatabase);
    source.put("topic.prefix", run);
    source.put("plugin.name", "pgoutput");
    source.put("slot.name", sourceDatabase);
    source.put("publication.name", sourceDatabase);
    source.put("publication.autocreate.mode", "filtered");
    source.put("table.include.list", BenchTable.TABLE);
    return source;
  }

  @Override
  public long storedRows() throws SQLException {
    try (Connection c = postgres.connect(sinkDatabase)) {
      return SyncStatus.count(c, "public.nhan_khau", null);
    }
  }

  @Override
  public Instant lastSyncedAt() throws SQLException {
    try (Connection c = postgres.connect(sinkDatabase)) {
      return SyncTarget.instant(c, "SELECT max(synced_at) FROM public.nhan_khau");
    }
  }

  @Override
  public Map<String, Double> latency(Instant since) throws SQLException {
    try (Connection c = postgres.connect(sinkDatabase)) {
      return SyncTarget.percentiles(
          c,
          "extract(epoch FROM synced_at - tao_luc) * 1000",
          "FROM public.nhan_khau WHERE tao_luc >= ?",
          since);
    }
  }

  @Override
  public void checkHealthy() throws Exception {
    ConnectWorker.requireAlive(worker);
    for (String c : List.of(run + "-source", run + "-sink")) {
      if (worker.failed(c)) {
        throw new IllegalStateException("peer connector " + c + " failed: " + worker.status(c));
      }
    }
  }

  @Override
  public void stop() throws Exception {
    worker.delete(run + "-source");
    worker.delete(run + "-sink");
    BenchTable.sleep(1000);
    BenchTargets.deleteTopics(kafka, List.of(topic));
    BenchTable.drop(postgres, sinkDatabase);
  }
}
