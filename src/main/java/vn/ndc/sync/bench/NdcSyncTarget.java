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
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;
import vn.ndc.sync.capture.DebeziumCapture;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.NdcStore;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.local.LocalFlinkCluster;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.LocalRegistry;
import vn.ndc.sync.local.LocalSettings;
import vn.ndc.sync.local.SyncStatus;
import vn.ndc.sync.local.VietnamesePeople;
import vn.ndc.sync.standardize.StandardizePerson;

/**
 * ndc-sync itself: the real pipeline ({@link LocalPipeline#startOn}) with a bench agency whose
 * mapping and Debezium settings are those of the template agency, into {@code ndc.person_source};
 * with a population template, also the population database's capture, which gets the streamed rows'
 * citizens before they are inserted.
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
  private final LocalPostgres populationServer;
  private final LocalKafka kafka;
  private final LocalRegistry registry;
  private final LocalFlinkCluster flink;
  private final Path agencyTemplate;
  private final Path jobConfig;
  private final Path populationTemplate;
  private final Path workDir;
  private final String run;
  private final PrintStream out;
  private LocalPipeline pipeline;
  private long deadLettersBefore;
  private String deadLetterTopic;
  private String populationDatabase;

  NdcSyncTarget(
      LocalPostgres postgres,
      LocalPostgres populationServer,
      LocalKafka kafka,
      LocalRegistry registry,
      LocalFlinkCluster flink,
      Path agencyTemplate,
      Path jobConfig,
      Path populationTemplate,
      Path workDir,
      String run,
      PrintStream out) {
    this.postgres = postgres;
    this.populationServer = populationServer;
    this.kafka = kafka;
    this.registry = registry;
    this.flink = flink;
    this.agencyTemplate = agencyTemplate;
    this.jobConfig = jobConfig;
    this.populationTemplate = populationTemplate;
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
      // Runs share the seed, so each would find the last run's merged persons with their versions.
      st.execute("TRUNCATE " + NdcTables.PERSON_SOURCE + ", " + NdcTables.PERSON);
    }
    Path work = workDir.resolve(run);
    Path connectors = work.resolve("connectors");
    copyAgency(agencyTemplate, connectors.resolve(run), run, sourceDatabase, BenchTable.TABLE);
    populationDatabase = null;
    if (populationTemplate != null) {
      populationDatabase = sourceDatabase + "_population";
      BenchTable.drop(populationServer, populationDatabase);
      populationServer.createDatabaseIfMissing(populationDatabase);
      try (Connection c = populationServer.connect(populationDatabase);
          Statement st = c.createStatement()) {
        // The database is prepared (table, heartbeat, publication) before its slot exists, as an
        // agency prepares its source before the capture makes the slot: with the slot first,
        // pgoutput may decode a change made before the publication and fail with "publication
        // does not exist", for ever (run 3 of a default-N bench hung so). The pipeline's start
        // applies the same idempotent scripts again.
        for (String sql : LocalPipeline.SOURCE_SCRIPTS) {
          Path script = populationTemplate.resolve(sql);
          if (Files.isRegularFile(script)) {
            st.execute(Files.readString(script, StandardCharsets.UTF_8));
          }
        }
        // Made now, while no long transaction runs: a slot waits for the transactions running when
        // it is made, and made by the capture it waited for the bench agency's snapshot, longer
        // than Debezium waits for its task to start (run 2 of a default-N bench failed so).
        st.execute(
            "SELECT pg_create_logical_replication_slot('" + populationDatabase + "', 'pgoutput')");
      }
      copyAgency(
          populationTemplate,
          connectors.resolve(run + "_population"),
          run + "_population",
          populationDatabase,
          null);
    }
    LocalSettings settings =
        new LocalSettings(work, work.resolve("connectors"), jobConfig, 0, 0, 0, 0);
    deadLettersBefore = -1;
    pipeline =
        LocalPipeline.startOn(
            settings,
            out,
            postgres,
            populationDatabase == null ? Map.of() : Map.of(populationDatabase, populationServer),
            kafka,
            registry,
            flink);
    deadLetterTopic = pipeline.jobOptions().get(PersonSyncOptions.DEAD_LETTER_TOPIC);
    deadLettersBefore = deadLetters();
  }

  /**
   * An agency folder for this run from {@code template}: its mapping, its source setup (the capture
   * role, heartbeat table and publication, as in production; publications are per database, so the
   * template's publication name serves every run's database), and its connector settings with this
   * run's name, database and slot. With a {@code table}, that table is the one captured and the
   * bench creates it; without, the template's demo source table is created at start.
   */
  private static void copyAgency(
      Path template, Path agency, String name, String database, String table) throws IOException {
    Files.createDirectories(agency);
    Files.copy(template.resolve("mapping.yaml"), agency.resolve("mapping.yaml"));
    for (String sql :
        table == null ? LocalPipeline.SOURCE_SCRIPTS : List.of(LocalPipeline.SOURCE_SETUP)) {
      if (Files.isRegularFile(template.resolve(sql))) {
        Files.copy(template.resolve(sql), agency.resolve(sql));
      }
    }
    Files.writeString(
        agency.resolve("connector.properties"),
        connectorProperties(template, name, database, table),
        StandardCharsets.UTF_8);
  }

  /** The template's connector settings with this run's database, slot and name. */
  private static String connectorProperties(
      Path template, String name, String database, String table) throws IOException {
    Map<String, String> replace = new LinkedHashMap<>();
    replace.put("name", name);
    replace.put("database.dbname", database);
    replace.put("topic.prefix", name);
    replace.put("slot.name", database);
    if (table != null) {
      replace.put("table.include.list", table);
    }
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(template.resolve("connector.properties"))) {
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

  /**
   * With a population: inserts the citizens of the {@code count} people still to come into the
   * population database and returns once the job has checkpointed all of them, so every streamed
   * row finds its citizen in the enrich state.
   */
  @Override
  public boolean beforeStreaming(Supplier<VietnamesePeople> upcoming, long count) throws Exception {
    if (populationDatabase == null) {
      return false;
    }
    out.printf("bench: %s: %d citizens into the population ...%n", run, count);
    try (Connection c = populationServer.connect(populationDatabase)) {
      BenchTable.insertCitizens(c, upcoming.get(), count, 10_000);
    }
    List<String> topic =
        pipeline.agencies().stream()
            .filter(a -> StandardizePerson.isPopulation(a.mapping()))
            .map(a -> PersonSyncJob.rawTopic(a.mapping()))
            .toList();
    String group = pipeline.jobOptions().get(PersonSyncOptions.CONSUMER_GROUP);
    long started = System.nanoTime();
    try (Admin admin = kafka.admin()) {
      SyncStatus status = new SyncStatus(admin);
      BenchWait.until(
          run + " population",
          count,
          "citizens captured",
          () -> {
            checkHealthy();
            return status.endOffsets(topic);
          },
          // The offsets are committed when a checkpoint completes, after every operator has
          // processed what came before its barrier: the citizens are then in the enrich state.
          () -> status.caughtUp(group, topic),
          out);
    }
    out.printf(
        "bench: %s: population of %d citizens in the job after %.0f s%n",
        run, count, (System.nanoTime() - started) / 1e9);
    return true;
  }

  /**
   * Shares of the streamed rows (inserts after the snapshot) linked by personal ID and waiting in
   * review, in %: what enrich path the streaming phase measured.
   */
  @Override
  public Map<String, Double> streamDetails() throws SQLException {
    return ndcRow(
        "SELECT count(*) FILTER (WHERE match_method = 'PERSONAL_ID'),"
            + " count(*) FILTER (WHERE match_method IS NULL), count(*) FROM "
            + NdcTables.PERSON_SOURCE
            + " WHERE source_operation = 'c'",
        rs -> {
          double all = Math.max(rs.getLong(3), 1);
          Map<String, Double> out = new LinkedHashMap<>();
          out.put("stream_linked_by_personal_id_pct", 100 * rs.getLong(1) / all);
          out.put("stream_in_review_pct", 100 * rs.getLong(2) / all);
          return out;
        });
  }

  /** Reads the one row {@code sql} returns from the NDC store. */
  private <T> T ndcRow(String sql, RowReader<T> reader) throws SQLException {
    try (Connection c = postgres.connect(LocalPipeline.NDC_DATABASE);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return reader.read(rs);
    }
  }

  /** Reads figures from a result row. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
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
    return ndcRow(
        "SELECT count(*), extract(epoch FROM max(synced_at) - min(ingest_time)) FROM "
            + NdcTables.PERSON_SOURCE
            + " WHERE source_operation = 'r'",
        rs -> {
          Map<String, Double> out = new LinkedHashMap<>();
          double seconds = rs.getDouble(2);
          if (seconds > 0) {
            out.put("snapshot_first_capture_to_last_store_rows_per_s", rs.getLong(1) / seconds);
          }
          return out;
        });
  }

  @Override
  public void checkHealthy() throws Exception {
    for (DebeziumCapture capture : pipeline.captures()) {
      if (capture.failure().isPresent()) {
        throw new IllegalStateException(
            "the capture of " + capture.agency() + " failed", capture.failure().get());
      }
    }
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
    if (populationDatabase != null) {
      BenchTable.drop(populationServer, populationDatabase);
    }
  }
}
