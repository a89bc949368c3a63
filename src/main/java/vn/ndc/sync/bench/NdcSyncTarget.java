package vn.ndc.sync.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.NdcStore;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.local.LocalFlinkCluster;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.LocalRegistry;
import vn.ndc.sync.local.LocalSettings;
import vn.ndc.sync.local.SyncStatus;

/**
 * ndc-sync itself: the real pipeline ({@link LocalPipeline#startOn}) with a bench agency whose
 * mapping and Debezium settings are those of the template agency, into {@code ndc.person_source}.
 */
final class NdcSyncTarget implements SyncTarget {

  /** The two legs of ndc-sync's commit→store latency, split at the job's decode (ingest time). */
  enum Leg {
    /** Debezium, the raw topic and Flink's Kafka source. */
    CAPTURE(
        "capture_",
        "ingest_time - source_commit_time",
        "of which commit→decode (capture, raw topic)"),
    /** The Flink job and the store's batches. */
    JOB("job_", "synced_at - ingest_time", "of which decode→store (job, store batches)");

    /** Prefix of this leg's percentiles in {@link #latency}. */
    final String prefix;

    private final String interval;

    /** The row that names this leg in the report. */
    final String label;

    Leg(String prefix, String interval, String label) {
      this.prefix = prefix;
      this.interval = interval;
      this.label = label;
    }
  }

  private final LocalPostgres postgres;
  private final LocalKafka kafka;
  private final LocalRegistry registry;
  private final LocalFlinkCluster flink;
  private final Path agencyTemplate;
  private final Path jobConfig;
  private final Path workDir;
  private final String run;
  private final PrintStream out;
  private LocalPipeline pipeline;
  private long deadLettersBefore;
  private String deadLetterTopic;

  NdcSyncTarget(
      LocalPostgres postgres,
      LocalKafka kafka,
      LocalRegistry registry,
      LocalFlinkCluster flink,
      Path agencyTemplate,
      Path jobConfig,
      Path workDir,
      String run,
      PrintStream out) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.registry = registry;
    this.flink = flink;
    this.agencyTemplate = agencyTemplate;
    this.jobConfig = jobConfig;
    this.workDir = workDir;
    this.run = run;
    this.out = out;
  }

  @Override
  public String name() {
    return "ndc-sync";
  }

  @Override
  public void start(String sourceDatabase) throws Exception {
    String ndcUrl = postgres.jdbcUrl(LocalPipeline.NDC_DATABASE);
    postgres.createDatabaseIfMissing(LocalPipeline.NDC_DATABASE);
    NdcStore.ensureSchema(ndcUrl, postgres.user(), postgres.password());
    try (Connection c = postgres.connect(LocalPipeline.NDC_DATABASE);
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE " + NdcTables.PERSON_SOURCE);
    }
    Path work = workDir.resolve(run);
    Path agency = work.resolve("connectors").resolve(run);
    Files.createDirectories(agency);
    Files.copy(agencyTemplate.resolve("mapping.yaml"), agency.resolve("mapping.yaml"));
    // The capture role, heartbeat table and publication, as in production (publications are per
    // database, so the template's publication name serves every run's database).
    Path setup = agencyTemplate.resolve(LocalPipeline.SOURCE_SETUP);
    if (Files.isRegularFile(setup)) {
      Files.copy(setup, agency.resolve(LocalPipeline.SOURCE_SETUP));
    }
    Files.writeString(
        agency.resolve("connector.properties"),
        connectorProperties(sourceDatabase),
        StandardCharsets.UTF_8);
    LocalSettings settings =
        new LocalSettings(work, work.resolve("connectors"), jobConfig, 0, 0, 0, 0);
    deadLettersBefore = -1;
    pipeline = LocalPipeline.startOn(settings, out, postgres, kafka, registry, flink);
    deadLetterTopic = pipeline.jobOptions().get(PersonSyncOptions.DEAD_LETTER_TOPIC);
    deadLettersBefore = deadLetters();
  }

  /** The template's connector settings with this run's database, slot and name. */
  private String connectorProperties(String database) throws IOException {
    Map<String, String> replace = new LinkedHashMap<>();
    replace.put("name", run);
    replace.put("database.dbname", database);
    replace.put("topic.prefix", run);
    replace.put("slot.name", database);
    replace.put("table.include.list", BenchTable.TABLE);
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(agencyTemplate.resolve("connector.properties"))) {
      int eq = line.indexOf('=');
      String key = eq < 0 || line.startsWith("#") ? null : line.substring(0, eq).trim();
      if (key != null && replace.containsKey(key)) {
        text.append(key).append('=').append(replace.remove(key)).append('\n');
      } else {
        text.append(line).append('\n');
      }
    }
    replace.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return text.toString();
  }

  private long deadLetters() {
    try (Admin admin = kafka.admin()) {
      return new SyncStatus(admin).endOffsets(List.of(deadLetterTopic));
    }
  }

  @Override
  public long storedRows() throws SQLException {
    try (Connection c = postgres.connect(LocalPipeline.NDC_DATABASE)) {
      return SyncStatus.count(c, NdcTables.PERSON_SOURCE, null)
          + (deadLettersBefore < 0 ? 0 : deadLetters() - deadLettersBefore);
    }
  }

  /** Dead-lettered records since start (the store count alone would never reach the target). */
  long deadLettered() {
    return deadLetters() - deadLettersBefore;
  }

  @Override
  public Instant lastSyncedAt() throws SQLException {
    try (Connection c = postgres.connect(LocalPipeline.NDC_DATABASE)) {
      return SyncTarget.instant(c, "SELECT max(synced_at) FROM " + NdcTables.PERSON_SOURCE);
    }
  }

  @Override
  public Map<String, Double> latency(Instant since) throws SQLException {
    String rows =
        "FROM "
            + NdcTables.PERSON_SOURCE
            + " WHERE source_commit_time >= ? AND source_operation = 'c'";
    try (Connection c = postgres.connect(LocalPipeline.NDC_DATABASE)) {
      Map<String, Double> out =
          SyncTarget.percentiles(
              c, "extract(epoch FROM synced_at - source_commit_time) * 1000", rows, since);
      for (Leg leg : Leg.values()) {
        SyncTarget.percentiles(c, "extract(epoch FROM " + leg.interval + ") * 1000", rows, since)
            .forEach((k, v) -> out.put(leg.prefix + k, v));
      }
      return out;
    }
  }

  @Override
  public Map<String, Double> snapshotDetails() throws SQLException {
    try (Connection c = postgres.connect(LocalPipeline.NDC_DATABASE);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), extract(epoch FROM max(synced_at) - min(ingest_time))"
                    + " FROM "
                    + NdcTables.PERSON_SOURCE
                    + " WHERE source_operation = 'r'")) {
      rs.next();
      Map<String, Double> out = new LinkedHashMap<>();
      double seconds = rs.getDouble(2);
      if (seconds > 0) {
        out.put("snapshot_first_capture_to_last_store_rows_per_s", rs.getLong(1) / seconds);
      }
      return out;
    }
  }

  @Override
  public void checkHealthy() throws Exception {
    JobStatus state = pipeline.job().getJobStatus().get();
    if (state.isGloballyTerminalState()) {
      throw new IllegalStateException("the person-sync job stopped with status " + state);
    }
  }

  @Override
  public void stop() throws Exception {
    if (pipeline == null) {
      return;
    }
    List<String> topics = new ArrayList<>(pipeline.rawTopics());
    pipeline.close();
    pipeline = null;
    BenchTargets.deleteTopics(kafka, topics);
  }
}
