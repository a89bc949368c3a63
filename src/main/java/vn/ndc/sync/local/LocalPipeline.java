package vn.ndc.sync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.ndc.sync.capture.ConnectorConfig;
import vn.ndc.sync.capture.DebeziumCapture;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JobConfig;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.NdcStore;
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

  private final LocalSettings settings;
  private final PrintStream out;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<Agency> agencies = new ArrayList<>();
  private final List<DebeziumCapture> captures = new ArrayList<>();
  private Configuration jobOptions;
  private LocalPostgres postgres;
  private LocalKafka kafka;
  private LocalRegistry registry;
  private JobClient job;
  private int flinkUiPort;

  /** An agency folder under connectors/: its Debezium config and its mapping. */
  public record Agency(String name, Path dir, EntityMapping mapping, String database) {}

  private LocalPipeline(LocalSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Starts the captures and the job on infrastructure that is already running and stays
   * running after {@link #close()} (how tests share one stack per JVM); a null component is
   * started here and stopped by {@link #close()}.
   */
  public static LocalPipeline startOn(
      LocalSettings settings,
      PrintStream out,
      LocalPostgres postgres,
      LocalKafka kafka,
      LocalRegistry registry) {
    LocalPipeline pipeline = new LocalPipeline(settings, out);
    pipeline.postgres = postgres;
    pipeline.kafka = kafka;
    pipeline.registry = registry;
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
   * Validates every configuration file, then starts the components in dependency order. A
   * failure stops what was started and is rethrown.
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
      Properties debezium = ConnectorConfig.load(dir, placeholders(0)).debeziumProperties();
      String database = debezium.getProperty("database.dbname");
      if (database == null) {
        throw new ConfigException(dir.resolve("connector.properties") + ": database.dbname is required");
      }
      agencies.add(new Agency(name, dir, mapping, database));
    }
    Map<String, String> fill = new HashMap<>();
    fill.put(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "pending:0");
    fill.put(PersonSyncOptions.REGISTRY_URL.key(), "http://pending");
    fill.put(PersonSyncOptions.STORE_JDBC_URL.key(), "jdbc:postgresql://pending/ndc");
    JobConfig.load(settings.jobConfig(), fill, PersonSyncOptions.class);
    requireFreeIfFixed(settings.postgresPort(), "--postgres-port");
    requireFreeIfFixed(settings.kafkaPort(), "--kafka-port");
    requireFreeIfFixed(settings.registryPort(), "--registry-port");
    requireFreeIfFixed(settings.flinkUiPort(), "--flink-ui-port");
  }

  private static void requireFreeIfFixed(int port, String option) {
    if (port != 0) {
      Ports.requireFree(port, option);
    }
  }

  private void startAll() {
    Path work = settings.workDir().toAbsolutePath();
    if (postgres == null) {
      out.println("starting PostgreSQL ...");
      postgres = track(LocalPostgres.start(work.resolve("postgres"), settings.postgresPort()));
    }
    postgres.createDatabaseIfMissing(NDC_DATABASE);
    postgres.createDatabaseIfMissing(POPULATION_DATABASE);
    for (Agency agency : agencies) {
      postgres.createDatabaseIfMissing(agency.database());
      applyDemoSchema(agency);
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
    overrides.put(PersonSyncOptions.REGISTRY_URL.key(), registry.apiV3Url());
    overrides.put(PersonSyncOptions.STORE_JDBC_URL.key(), postgres.jdbcUrl(NDC_DATABASE));
    overrides.put(PersonSyncOptions.STORE_USER.key(), postgres.user());
    overrides.put(PersonSyncOptions.STORE_PASSWORD.key(), postgres.password());
    jobOptions = JobConfig.load(settings.jobConfig(), overrides, PersonSyncOptions.class);

    kafka.createTopics(rawTopics(), 2, false);
    kafka.createTopic(jobOptions.get(PersonSyncOptions.PERSON_TOPIC), 2, true);
    kafka.createTopic(jobOptions.get(PersonSyncOptions.DEAD_LETTER_TOPIC), 1, false);

    Map<String, Object> serde = RegistrySerde.confluentWireFormat(registry.apiV3Url());
    Path offsets = work.resolve("offsets");
    try {
      Files.createDirectories(offsets);
    } catch (IOException e) {
      throw new ConfigException("cannot create " + offsets + ": " + e.getMessage(), e);
    }
    for (Agency agency : agencies) {
      out.println("starting capture of " + agency.name() + " ...");
      Properties props =
          ConnectorConfig.load(agency.dir(), placeholders(postgres.port())).debeziumProperties();
      props.setProperty(
          "offset.storage.file.filename",
          offsets.resolve(agency.name() + ".offsets").toString());
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

    NdcStore.ensureSchema(postgres.jdbcUrl(NDC_DATABASE), postgres.user(), postgres.password());
    out.println("starting Flink job person-sync ...");
    flinkUiPort = Ports.resolve(settings.flinkUiPort(), "--flink-ui-port");
    StreamExecutionEnvironment env =
        FlinkEnvironments.local(
            flinkUiPort,
            work.resolve("checkpoints"),
            jobOptions.get(PersonSyncOptions.CHECKPOINT_INTERVAL),
            jobOptions.get(PersonSyncOptions.PARALLELISM));
    PersonSyncJob.defineWorkflow(
        PersonSyncJob.rawStream(env, PersonSyncJob.rawSource(jobOptions, rawTopics())),
        serde,
        agencies.stream().map(Agency::mapping).toList(),
        PersonSyncJob.storeSink(jobOptions),
        PersonSyncJob.personTopicSink(jobOptions, serde),
        PersonSyncJob.deadLetterSink(jobOptions, serde));
    try {
      job = env.executeAsync("person-sync");
    } catch (Exception e) {
      throw new IllegalStateException("the person-sync job did not start: " + e.getMessage(), e);
    }
  }

  private Map<String, String> placeholders(int port) {
    Map<String, String> values = new HashMap<>();
    values.put("db.host", "127.0.0.1");
    values.put("db.port", String.valueOf(port));
    values.put("db.user", postgres == null ? "postgres" : postgres.user());
    values.put("db.password", postgres == null ? "postgres" : postgres.password());
    return values;
  }

  private void applyDemoSchema(Agency agency) {
    Path ddl = agency.dir().resolve("demo-source.sql");
    if (!Files.isRegularFile(ddl)) {
      return;
    }
    try (Connection c = postgres.connect(agency.database());
        Statement st = c.createStatement()) {
      st.execute(Files.readString(ddl, StandardCharsets.UTF_8));
    } catch (IOException | SQLException e) {
      throw new ConfigException("cannot apply " + ddl + ": " + e.getMessage(), e);
    }
  }

  private void checkMappingColumns(Agency agency) {
    String table = agency.mapping().table();
    int dot = table.indexOf('.');
    String schema = dot < 0 ? "public" : table.substring(0, dot);
    String bare = dot < 0 ? table : table.substring(dot + 1);
    TreeSet<String> columns = new TreeSet<>();
    try (Connection c = postgres.connect(agency.database());
        ResultSet rs = c.getMetaData().getColumns(null, schema, bare, null)) {
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
    e.put("ndc-jdbc", postgres.jdbcUrl(NDC_DATABASE) + "?user=" + postgres.user());
    for (Agency agency : agencies) {
      e.put("source-" + agency.name(), postgres.jdbcUrl(agency.database()) + "?user=" + postgres.user());
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
   * Waits until every Debezium engine runs and every task of the job is deployed, so a load
   * started afterwards measures the pipeline and not its start-up.
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
        "the person-sync job did not reach RUNNING within " + timeout.toSeconds() + " s; see the Flink UI");
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
