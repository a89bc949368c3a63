package vn.ndc.sync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.ndc.sync.capture.ConnectorConfig;
import vn.ndc.sync.capture.DebeziumCapture;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JobConfig;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.NdcStore;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.job.FlinkEnvironments;
import vn.ndc.sync.job.Mappings;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.standardize.EntityMapping;

/**
 * The embedded default: PostgreSQL (agency sources, population database, NDC store, registry
 * storage), a KRaft Kafka broker, Apicurio Registry, one Debezium engine per agency and the
 * person-sync job on a Flink MiniCluster.
 */
public final class LocalPipeline implements AutoCloseable {

  /** Database of the NDC store inside the embedded PostgreSQL. */
  public static final String NDC_DATABASE = "ndc";

  /** Database of the National Population Database inside the embedded PostgreSQL. */
  public static final String POPULATION_DATABASE = "population";

  /**
   * Role the PostgreSQL captures log in as when the agency folder has a {@value #SOURCE_SETUP} that
   * creates it; otherwise they use the superuser.
   */
  public static final String CDC_ROLE = "ndc_cdc";

  /** Per-agency SQL that prepares a PostgreSQL source: the capture role, heartbeat, publication. */
  public static final String SOURCE_SETUP = "source-setup.sql";

  /**
   * Per-agency SQL that creates the demo source table `local` fills (a real agency has its own).
   */
  public static final String DEMO_SOURCE = "demo-source.sql";

  /** The SQL files that prepare an agency's source database, in the order they run. */
  public static final List<String> SOURCE_SCRIPTS = List.of(DEMO_SOURCE, SOURCE_SETUP);

  private final LocalSettings settings;
  private final PrintStream out;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<Agency> agencies = new ArrayList<>();
  private final List<DebeziumCapture> captures = new ArrayList<>();
  private Configuration jobOptions;
  private LocalPostgres postgres;
  private Map<String, LocalPostgres> sourceServers = Map.of();
  private LocalMariaDb mariaDb;
  private LocalKafka kafka;
  private LocalRegistry registry;
  private LocalFlinkCluster flink;
  private JobClient job;
  private Map<String, Object> serde;
  private int flinkUiPort;
  private int metricsPort = LocalSettings.NO_METRICS;
  private CaptureMetrics captureMetrics;

  /**
   * An agency folder under connectors/: its Debezium config, its mapping, and the database its
   * source table lives in.
   */
  public record Agency(
      String name, Path dir, EntityMapping mapping, String database, SourceDb sourceDb) {}

  /** The database server kind of an agency source, told by its connector.class. */
  public enum SourceDb {
    POSTGRESQL("io.debezium.connector.postgresql.PostgresConnector", "database.dbname"),
    MARIADB("io.debezium.connector.mariadb.MariaDbConnector", "database.include.list");

    private final String connectorClass;
    private final String databaseKey;

    SourceDb(String connectorClass, String databaseKey) {
      this.connectorClass = connectorClass;
      this.databaseKey = databaseKey;
    }

    /** The kind of server the connector in {@code file} reads; fails on any other connector. */
    public static SourceDb of(Path file, Properties debezium) {
      String connector = debezium.getProperty("connector.class");
      for (SourceDb db : values()) {
        if (db.connectorClass.equals(connector)) {
          return db;
        }
      }
      throw new ConfigException(
          file
              + ": connector.class "
              + connector
              + " cannot run in `local`; use "
              + POSTGRESQL.connectorClass
              + " or "
              + MARIADB.connectorClass);
    }

    /** The one database the connector captures. */
    public String database(Path file, Properties debezium) {
      String value = debezium.getProperty(databaseKey);
      if (value == null || value.isBlank() || value.contains(",")) {
        throw new ConfigException(
            file + ": " + databaseKey + " must name the one database of the agency's source table");
      }
      return value.strip();
    }
  }

  private LocalPipeline(LocalSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Starts the captures and the job on infrastructure that is already running and stays running
   * after {@link #close()} (how tests share one stack per JVM); a null component is started here
   * and stopped by {@link #close()}.
   */
  public static LocalPipeline startOn(
      LocalSettings settings,
      PrintStream out,
      LocalPostgres postgres,
      LocalKafka kafka,
      LocalRegistry registry) {
    return startOn(settings, out, postgres, kafka, registry, null);
  }

  /**
   * As {@link #startOn(LocalSettings, PrintStream, LocalPostgres, LocalKafka, LocalRegistry)}, with
   * the job submitted to {@code flink}, which keeps running after {@link #close()}; with null the
   * job gets a MiniCluster of its own.
   */
  public static LocalPipeline startOn(
      LocalSettings settings,
      PrintStream out,
      LocalPostgres postgres,
      LocalKafka kafka,
      LocalRegistry registry,
      LocalFlinkCluster flink) {
    return startOn(settings, out, postgres, Map.of(), kafka, registry, flink);
  }

  /**
   * As {@link #startOn(LocalSettings, PrintStream, LocalPostgres, LocalKafka, LocalRegistry,
   * LocalFlinkCluster)}, with the PostgreSQL source databases named in {@code sourceServers} on
   * servers of their own (as in production, where each agency runs its own), the others on {@code
   * postgres}.
   */
  public static LocalPipeline startOn(
      LocalSettings settings,
      PrintStream out,
      LocalPostgres postgres,
      Map<String, LocalPostgres> sourceServers,
      LocalKafka kafka,
      LocalRegistry registry,
      LocalFlinkCluster flink) {
    LocalPipeline pipeline = new LocalPipeline(settings, out);
    pipeline.postgres = postgres;
    pipeline.sourceServers = Map.copyOf(sourceServers);
    pipeline.kafka = kafka;
    pipeline.registry = registry;
    pipeline.flink = flink;
    try {
      pipeline.validate();
      pipeline.startAll();
      return pipeline;
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  /**
   * Validates every configuration file, then starts the components in dependency order. A failure
   * stops what was started and is rethrown.
   */
  public static LocalPipeline start(LocalSettings settings, PrintStream out) {
    return startOn(settings, out, null, null, null);
  }

  /** Reads and checks every config file before anything starts. */
  private void validate() {
    List<Path> dirs = Mappings.agencyFolders(settings.connectorsDir());
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      EntityMapping mapping = Mappings.load(dir);
      Path file = dir.resolve(ConnectorConfig.FILE_NAME);
      Properties debezium =
          ConnectorConfig.load(dir, validationPlaceholders()).debeziumProperties();
      Mappings.checkCapturedTables(mapping, debezium, file);
      SourceDb sourceDb = SourceDb.of(file, debezium);
      agencies.add(new Agency(name, dir, mapping, sourceDb.database(file, debezium), sourceDb));
    }
    Configuration checked = validatedJobOptions(settings.jobConfig());
    try {
      PersonSyncJob.checkParallelism(checked);
    } catch (ConfigException e) {
      throw new ConfigException(settings.jobConfig() + ": " + e.getMessage());
    }
    requireSlots(checked.get(PersonSyncOptions.PARALLELISM));
    requireFreeIfFixed(settings.postgresPort(), "--postgres-port");
    requireFreeIfFixed(settings.mariaDbPort(), "--mariadb-port");
    requireFreeIfFixed(settings.kafkaPort(), "--kafka-port");
    requireFreeIfFixed(settings.registryPort(), "--registry-port");
    requireFreeIfFixed(settings.flinkUiPort(), "--flink-ui-port");
    if (settings.metricsPort() != LocalSettings.NO_METRICS) {
      if (flink != null) {
        throw new ConfigException(
            "--metrics-port: a job on a shared Flink cluster reports through that cluster's"
                + " reporters; start the cluster with one instead");
      }
      requireFreeIfFixed(settings.metricsPort(), "--metrics-port");
    }
    if (settings.captureMetricsPort() != LocalSettings.NO_METRICS) {
      requireFreeIfFixed(settings.captureMetricsPort(), "--capture-metrics-port");
    }
  }

  /**
   * The options of a job file, checked; the endpoints {@code local} fills in at start (broker,
   * registry, store) are placeholders here.
   */
  public static Configuration validatedJobOptions(Path jobConfig) {
    Map<String, String> fill = new HashMap<>();
    fill.put(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "pending:0");
    fill.put(PersonSyncOptions.REGISTRY_URL.key(), "http://pending");
    fill.put(PersonSyncOptions.STORE_JDBC_URL.key(), "jdbc:postgresql://pending/ndc");
    return JobConfig.load(jobConfig, fill, PersonSyncOptions.class);
  }

  private static void requireFreeIfFixed(int port, String option) {
    if (port != 0) {
      Ports.requireFree(port, option);
    }
  }

  private void startAll() {
    Path work = settings.workDir().toAbsolutePath();
    if (settings.captureMetricsPort() != LocalSettings.NO_METRICS) {
      // Read at each scrape: serves the captures' MBeans from the moment they register.
      captureMetrics = track(CaptureMetrics.serve(settings.captureMetricsPort()));
    }
    if (postgres == null) {
      out.println("starting PostgreSQL ...");
      postgres = track(LocalPostgres.start(work.resolve("postgres"), settings.postgresPort()));
    }
    if (mariaDb == null && agencies.stream().anyMatch(a -> a.sourceDb() == SourceDb.MARIADB)) {
      out.println("starting MariaDB ...");
      mariaDb = track(LocalMariaDb.start(work.resolve("mariadb"), settings.mariaDbPort()));
    }
    postgres.createDatabaseIfMissing(NDC_DATABASE);
    postgres.createDatabaseIfMissing(POPULATION_DATABASE);
    for (Agency agency : agencies) {
      if (agency.sourceDb() == SourceDb.MARIADB) {
        mariaDb.createDatabaseIfMissing(agency.database());
      } else {
        serverOf(agency).createDatabaseIfMissing(agency.database());
      }
      for (String script : SOURCE_SCRIPTS) {
        applySql(agency, script);
      }
      checkMappingColumns(agency);
    }
    if (kafka == null) {
      out.println("starting Kafka ...");
      kafka = track(LocalKafka.start(work.resolve("kafka"), settings.kafkaPort()));
    }
    if (registry == null) {
      out.println("starting schema registry ...");
      registry =
          track(LocalRegistry.start(work.resolve("registry"), settings.registryPort(), postgres));
    }

    Map<String, String> overrides = new HashMap<>();
    overrides.put(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
    // The embedded broker listens in plain text on loopback, whatever a job file copied from a
    // cluster asks for.
    overrides.put(
        PersonSyncOptions.KAFKA_SECURITY_PROTOCOL.key(),
        PersonSyncOptions.KafkaSecurityProtocol.PLAINTEXT.name());
    overrides.put(PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key(), "");
    overrides.put(PersonSyncOptions.KAFKA_SSL_KEYSTORE.key(), "");
    overrides.put(PersonSyncOptions.REGISTRY_URL.key(), registry.apiV3Url());
    overrides.put(PersonSyncOptions.STORE_JDBC_URL.key(), postgres.jdbcUrl(NDC_DATABASE));
    overrides.put(PersonSyncOptions.STORE_USER.key(), postgres.user());
    overrides.put(PersonSyncOptions.STORE_PASSWORD.key(), postgres.password());
    jobOptions = JobConfig.load(settings.jobConfig(), overrides, PersonSyncOptions.class);

    kafka.createTopics(rawTopics(), 2, false);
    kafka.createTopic(jobOptions.get(PersonSyncOptions.PERSON_TOPIC), 2, true);
    String analystTopic = jobOptions.get(PersonSyncOptions.PERSON_ANALYST_TOPIC);
    if (!analystTopic.isEmpty()) {
      kafka.createTopic(analystTopic, 2, true);
    }
    kafka.createTopic(jobOptions.get(PersonSyncOptions.DEAD_LETTER_TOPIC), 1, false);
    kafka.createTopic(jobOptions.get(PersonSyncOptions.REVIEW_TOPIC), 2, true);

    serde = RegistrySerde.confluentWireFormat(registry.apiV3Url());
    Path offsets = work.resolve("offsets");
    Path schemaHistory = work.resolve("schema-history");
    try {
      Files.createDirectories(offsets);
      Files.createDirectories(schemaHistory);
    } catch (IOException e) {
      throw new ConfigException("cannot create " + offsets + ": " + e.getMessage(), e);
    }
    for (Agency agency : agencies) {
      out.println("starting capture of " + agency.name() + " ...");
      Properties props =
          ConnectorConfig.load(agency.dir(), placeholders(agency)).debeziumProperties();
      props.setProperty(
          "offset.storage.file.filename", offsets.resolve(agency.name() + ".offsets").toString());
      // A binlog connector's table schemas must survive a restart as its offsets do.
      if (props.getProperty("schema.history.internal", "").endsWith("FileSchemaHistory")) {
        props.setProperty(
            "schema.history.internal.file.filename",
            schemaHistory.resolve(agency.name() + ".history").toString());
      }
      DebeziumCapture capture =
          track(
              DebeziumCapture.builder()
                  .agency(agency.name())
                  .debeziumProperties(props)
                  .bootstrapServers(kafka.bootstrapServers())
                  .registryUrl(registry.apiV3Url())
                  .start());
      captures.add(capture);
    }

    // The analysts' group, so that SET ROLE in psql shows what an analyst may read.
    postgres.createGroupRoleIfMissing(NdcTables.ANALYST_ROLE);
    NdcStore.ensureSchema(postgres.jdbcUrl(NDC_DATABASE), postgres.user(), postgres.password());
    out.println("starting Flink job person-sync ...");
    submitJob(null);
  }

  /** Builds the job and submits it, resuming from {@code restoreFrom} or the newest checkpoint. */
  private void submitJob(String restoreFrom) {
    StreamExecutionEnvironment env =
        flinkEnvironment(settings.workDir().toAbsolutePath().resolve("checkpoints"), restoreFrom);
    PersonSyncJob.setParallelism(env, jobOptions);
    PersonSyncJob.defineWorkflow(
        PersonSyncJob.rawStream(env, PersonSyncJob.rawSource(jobOptions, rawTopics())),
        serde,
        agencies.stream().map(Agency::mapping).toList(),
        PersonSyncJob.enrichSettings(jobOptions),
        PersonSyncJob.sinks(jobOptions, serde));
    try {
      job = env.executeAsync("person-sync");
    } catch (Exception e) {
      throw new IllegalStateException("the person-sync job did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Stops the job with a savepoint in Flink's canonical format and submits it again, rebuilt, from
   * that savepoint: what the Flink Kubernetes Operator does with {@code upgradeMode: savepoint}
   * when the job's image or configuration changes. The agencies' mappings are read again from their
   * folders (a changed mapping is a new ConfigMap in Kubernetes), and a new {@code parallelism}
   * rescales the job, as a new {@code job.parallelism} of the FlinkDeployment does. The captures
   * keep running. Returns the savepoint's location.
   */
  public synchronized String upgradeJobThroughSavepoint(Duration timeout, int parallelism) {
    // Read and check before the job stops: a broken mapping leaves the running job alone.
    List<Agency> reloaded = new ArrayList<>();
    for (Agency a : agencies) {
      reloaded.add(
          new Agency(a.name(), a.dir(), Mappings.load(a.dir()), a.database(), a.sourceDb()));
    }
    Configuration rescaled = new Configuration(jobOptions);
    rescaled.set(PersonSyncOptions.PARALLELISM, parallelism);
    PersonSyncJob.checkParallelism(rescaled);
    requireSlots(parallelism);
    String savepoint;
    try {
      savepoint =
          job.stopWithSavepoint(
                  false,
                  settings.workDir().toAbsolutePath().resolve("savepoints").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      // The job finishes once the savepoint is taken and its transactions are committed.
      job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("stop with a savepoint failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping with a savepoint", e);
    }
    out.println(
        "job stopped with savepoint "
            + savepoint
            + "; starting it again from there with parallelism "
            + parallelism
            + " ...");
    jobOptions = rescaled;
    agencies.clear();
    agencies.addAll(reloaded);
    if (flink == null) {
      // The finished job's MiniCluster closes on its own; fixed ports must be free again first.
      awaitFree(settings.flinkUiPort(), timeout);
      awaitFree(settings.metricsPort(), timeout);
    }
    submitJob(savepoint);
    return savepoint;
  }

  /** On a shared Flink cluster, refuses a parallelism that needs more slots than it has. */
  private void requireSlots(int parallelism) {
    if (flink != null && parallelism > flink.slots()) {
      throw new ConfigException(
          settings.jobConfig()
              + ": parallelism "
              + parallelism
              + " needs "
              + parallelism
              + " task slots, but the shared Flink cluster has "
              + flink.slots());
    }
  }

  private static void awaitFree(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (port > 0 && !Ports.isFree(port) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private StreamExecutionEnvironment flinkEnvironment(Path checkpoints, String restoreFrom) {
    int parallelism = jobOptions.get(PersonSyncOptions.PARALLELISM);
    Duration interval = jobOptions.get(PersonSyncOptions.CHECKPOINT_INTERVAL);
    PersonSyncOptions.StateBackendKind backend = jobOptions.get(PersonSyncOptions.STATE_BACKEND);
    if (flink == null) {
      flinkUiPort = Ports.resolve(settings.flinkUiPort(), "--flink-ui-port");
      if (settings.metricsPort() != LocalSettings.NO_METRICS) {
        metricsPort = Ports.resolve(settings.metricsPort(), "--metrics-port");
      }
      return FlinkEnvironments.local(
          flinkUiPort, metricsPort, checkpoints, interval, parallelism, backend, restoreFrom);
    }
    flinkUiPort = flink.restPort();
    return FlinkEnvironments.onCluster(
        flinkUiPort, checkpoints, interval, parallelism, backend, restoreFrom);
  }

  /**
   * Stand-in values for the connector configs' server placeholders, for reading what does not name
   * the server (before the servers run, only the presence of every placeholder is checked).
   */
  public static Map<String, String> validationPlaceholders() {
    return Map.of("db.host", "127.0.0.1", "db.port", "0", "db.user", "-", "db.password", "-");
  }

  private Map<String, String> placeholders(Agency agency) {
    Map<String, String> values = new HashMap<>();
    if (agency.sourceDb() == SourceDb.MARIADB) {
      values.put("db.host", mariaDb.host());
      values.put("db.port", String.valueOf(mariaDb.port()));
      values.put("db.user", mariaDb.user());
      values.put("db.password", mariaDb.password());
    } else {
      LocalPostgres server = serverOf(agency);
      values.put("db.host", "127.0.0.1");
      values.put("db.port", String.valueOf(server.port()));
      // The cluster trusts local logins: the role's password is not checked here.
      values.put(
          "db.user",
          Files.isRegularFile(agency.dir().resolve(SOURCE_SETUP)) ? CDC_ROLE : server.user());
      values.put("db.password", server.password());
    }
    return values;
  }

  /** A connection to the agency's source database, on whichever server holds it. */
  public Connection connectSource(Agency agency) throws SQLException {
    return agency.sourceDb() == SourceDb.MARIADB
        ? mariaDb.connect(agency.database())
        : serverOf(agency).connect(agency.database());
  }

  /** The PostgreSQL server that holds a PostgreSQL agency's source database. */
  private LocalPostgres serverOf(Agency agency) {
    return sourceServers.getOrDefault(agency.database(), postgres);
  }

  /** JDBC URL of the agency's source database, with the user. */
  public String sourceJdbcUrl(Agency agency) {
    if (agency.sourceDb() == SourceDb.MARIADB) {
      return mariaDb.jdbcUrl(agency.database()) + "?user=" + mariaDb.user();
    }
    LocalPostgres server = serverOf(agency);
    return server.jdbcUrl(agency.database()) + "?user=" + server.user();
  }

  /** Runs an agency's SQL file, if it has one, on its source database as the superuser. */
  private void applySql(Agency agency, String fileName) {
    Path ddl = agency.dir().resolve(fileName);
    if (!Files.isRegularFile(ddl)) {
      return;
    }
    try {
      String sql = Files.readString(ddl, StandardCharsets.UTF_8);
      // The scripts are idempotent; a lock conflict (autovacuum of a freshly loaded table against
      // CREATE PUBLICATION, say) aborts them without saying anything about the script.
      LockConflictRetry.run(
          agency.name() + "/" + fileName,
          5,
          Duration.ofMillis(500),
          out,
          () -> {
            try (Connection c = connectSource(agency);
                Statement st = c.createStatement()) {
              st.execute(sql);
            }
          });
    } catch (IOException | SQLException e) {
      throw new ConfigException("cannot apply " + ddl + ": " + e.getMessage(), e);
    }
  }

  private void checkMappingColumns(Agency agency) {
    String table = agency.mapping().table();
    int dot = table.indexOf('.');
    String bare = dot < 0 ? table : table.substring(dot + 1);
    // MariaDB has no schemas: the qualifier of its tables is the database, a JDBC catalog.
    boolean mariaDbSource = agency.sourceDb() == SourceDb.MARIADB;
    String catalog = mariaDbSource ? agency.database() : null;
    String schema = mariaDbSource ? null : dot < 0 ? "public" : table.substring(0, dot);
    TreeSet<String> columns = new TreeSet<>();
    try (Connection c = connectSource(agency);
        ResultSet rs = c.getMetaData().getColumns(catalog, schema, bare, null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    } catch (SQLException e) {
      throw new ConfigException("cannot read columns of " + table + ": " + e.getMessage(), e);
    }
    if (columns.isEmpty()) {
      throw new ConfigException(
          agency.mapping().origin()
              + ": table "
              + table
              + " does not exist in database "
              + agency.database()
              + "; fix 'table' in the mapping or create the table");
    }
    agency.mapping().checkColumns(table, columns);
  }

  /** Raw topics of every agency's mapped table. */
  public List<String> rawTopics() {
    return agencies.stream().map(a -> PersonSyncJob.rawTopic(a.mapping())).toList();
  }

  /** Endpoints any standard client can use, by name. */
  public Map<String, String> endpoints() {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("kafka", kafka.bootstrapServers());
    e.put("registry", registry.ccompatUrl());
    e.put("registry-v3", registry.apiV3Url());
    e.put("flink-ui", "http://127.0.0.1:" + flinkUiPort);
    if (metricsPort != LocalSettings.NO_METRICS) {
      e.put("metrics", "http://127.0.0.1:" + metricsPort + "/metrics");
    }
    if (captureMetrics != null) {
      e.put("capture-metrics", "http://127.0.0.1:" + captureMetrics.port() + "/metrics");
    }
    e.put("ndc-jdbc", postgres.jdbcUrl(NDC_DATABASE) + "?user=" + postgres.user());
    for (Agency agency : agencies) {
      e.put("source-" + agency.name(), sourceJdbcUrl(agency));
    }
    e.put("population-jdbc", postgres.jdbcUrl(POPULATION_DATABASE) + "?user=" + postgres.user());
    return e;
  }

  public List<Agency> agencies() {
    return agencies;
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  /** The embedded MariaDB, or null when no agency needs one. */
  public LocalMariaDb mariaDb() {
    return mariaDb;
  }

  public LocalKafka kafka() {
    return kafka;
  }

  public LocalRegistry registry() {
    return registry;
  }

  public Configuration jobOptions() {
    return jobOptions;
  }

  /** The running job, to check it did not fail. */
  public JobClient job() {
    return job;
  }

  /**
   * Waits until every Debezium engine runs and every task of the job is deployed, so a load started
   * afterwards measures the pipeline and not its start-up.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (DebeziumCapture capture : captures) {
      capture.awaitStarted(timeout);
    }
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + flinkUiPort + "/jobs/" + job.getJobID());
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode vertices = new ObjectMapper().readTree(response.body()).path("vertices");
        boolean running = vertices.size() > 0;
        for (JsonNode vertex : vertices) {
          running &= "RUNNING".equals(vertex.path("status").asText());
        }
        if (running) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        // the REST endpoint comes up with the job: try again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException(
        "the person-sync job did not reach RUNNING within "
            + timeout.toSeconds()
            + " s; see the Flink UI");
  }

  /** The running Debezium engines, one per agency. */
  public List<DebeziumCapture> captures() {
    return captures;
  }

  private <T extends AutoCloseable> T track(T component) {
    started.add(component);
    return component;
  }

  /** Stops everything in reverse start order; safe to call twice. */
  @Override
  public synchronized void close() {
    if (job != null) {
      try {
        job.cancel().get();
      } catch (Exception e) {
        // already finished or failed: nothing left to stop
      }
      job = null;
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        out.println("warning: stopping " + started.get(i).getClass().getSimpleName() + ": " + e);
      }
    }
    started.clear();
  }
}
