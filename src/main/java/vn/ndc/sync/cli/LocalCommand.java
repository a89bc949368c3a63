package vn.ndc.sync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.local.DemoLoad;
import vn.ndc.sync.local.LocalEndpoints;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalSettings;
import vn.ndc.sync.local.SyncStatus;

/** `ndc-sync local`: the whole pipeline on embedded components, with an optional demo load. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole pipeline on embedded components: PostgreSQL (agency sources, population"
          + " database, NDC store), a Kafka broker, Apicurio Registry, Debezium and Flink.",
      "Prints one 'endpoint <name> <url>' line per endpoint; Ctrl-C stops everything."
    })
public final class LocalCommand implements Callable<Integer> {

  /** The demo agency the load generator writes to. */
  static final String DEMO_AGENCY = "civil-registry";

  @Option(names = "--work-dir", defaultValue = ".ndc-local", description = "Data of every component (default: ${DEFAULT-VALUE}); reused by the next run.")
  Path workDir;

  @Option(names = "--reset", description = "Delete the work directory first and start from empty databases and topics.")
  boolean reset;

  @Option(names = "--connectors", defaultValue = "connectors", description = "Folder with one sub-folder per agency (default: ${DEFAULT-VALUE}).")
  Path connectors;

  @Option(names = "--job-config", defaultValue = "jobs/person-sync.yaml", description = "Config of the person-sync job (default: ${DEFAULT-VALUE}).")
  Path jobConfig;

  @Option(names = "--rows", defaultValue = "0", description = "Make this many changes (inserts, updates, deletes) in the demo agency database.")
  long rows;

  @Option(names = "--seed", defaultValue = "20250701", description = "Seed of the demo load (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--until-synced", description = "Exit 0 once every change is in the NDC store or dead-lettered; print a JSON summary as the last line.")
  boolean untilSynced;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "With --until-synced: give up and exit 1 after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--postgres-port", defaultValue = "0", description = "Port of the embedded PostgreSQL (0 = a free port).")
  int postgresPort;

  @Option(names = "--kafka-port", defaultValue = "0", description = "Port of the Kafka broker (0 = a free port).")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "0", description = "Port of the schema registry (0 = a free port).")
  int registryPort;

  @Option(names = "--flink-ui-port", defaultValue = "8081", description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}; 0 = a free port).")
  int flinkUiPort;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (reset) {
      deleteRecursively(workDir);
    }
    Files.createDirectories(workDir);
    LocalSettings settings =
        new LocalSettings(
            workDir, connectors, jobConfig, postgresPort, kafkaPort, registryPort, flinkUiPort);
    LocalPipeline pipeline = LocalPipeline.start(settings, out);
    Thread stopper = new Thread(pipeline::close, "ndc-local-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    pipeline.awaitReady(Duration.ofMinutes(2));
    pipeline.endpoints().forEach((name, url) -> out.println("endpoint " + name + " " + url));
    // verify --local and scripts find the endpoints here.
    LocalEndpoints.write(workDir, pipeline.endpoints());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.kafka().bootstrapServers()))) {
      SyncStatus status = new SyncStatus(admin);
      List<String> rawTopics = pipeline.rawTopics();
      long rawBefore = status.endOffsets(rawTopics);
      String dlqTopic = pipeline.jobOptions().get(PersonSyncOptions.DEAD_LETTER_TOPIC);
      String personTopic = pipeline.jobOptions().get(PersonSyncOptions.PERSON_TOPIC);
      long dlqBefore = status.endOffsets(List.of(dlqTopic));
      Instant started = Instant.now();
      DemoLoad.Result load = new DemoLoad.Result(0, 0, 0);
      LocalPipeline.Agency demo = demoAgency(pipeline);
      if (rows > 0) {
        out.printf("load: making %d changes in %s%n", rows, demo.name());
        try (Connection c = pipeline.postgres().connect(demo.database())) {
          load = new DemoLoad(seed, out).run(c, rows);
        }
        out.printf(
            "load: done in %.1f s (%d inserts, %d updates, %d deletes)%n",
            Duration.between(started, Instant.now()).toMillis() / 1000.0,
            load.inserts(),
            load.updates(),
            load.deletes());
      }
      if (!untilSynced) {
        out.println("running; press Ctrl-C to stop");
        new CountDownLatch(1).await();
        return 0;
      }
      Instant deadline = started.plus(timeout);
      long lastReport = 0;
      while (true) {
        failIfJobDied(pipeline);
        long captured = status.endOffsets(rawTopics) - rawBefore;
        boolean caughtUp =
            captured >= load.changes()
                && status.caughtUp(
                    pipeline.jobOptions().get(PersonSyncOptions.CONSUMER_GROUP), rawTopics);
        long deadLetters = status.endOffsets(List.of(dlqTopic)) - dlqBefore;
        long sourceRows;
        long ndcRows;
        try (Connection src = pipeline.postgres().connect(demo.database());
            Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE)) {
          sourceRows = SyncStatus.count(src, demo.mapping().table(), null);
          ndcRows = SyncStatus.count(ndc, "ndc.person", "NOT deleted");
        }
        if (caughtUp && (ndcRows == sourceRows || deadLetters > 0)) {
          double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
          Map<String, Object> summary = new LinkedHashMap<>();
          summary.put("changes", load.changes());
          summary.put("inserts", load.inserts());
          summary.put("updates", load.updates());
          summary.put("deletes", load.deletes());
          summary.put("captured", captured);
          summary.put("source_rows", sourceRows);
          summary.put("ndc_rows", ndcRows);
          summary.put("topic_records", status.endOffsets(List.of(personTopic)));
          summary.put("dead_letters", deadLetters);
          summary.put("seconds", seconds);
          try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE)) {
            summary.putAll(SyncStatus.latencyPercentiles(ndc, started));
          }
          pipeline.close();
          Runtime.getRuntime().removeShutdownHook(stopper);
          out.println(new ObjectMapper().writeValueAsString(summary));
          return 0;
        }
        if (Instant.now().isAfter(deadline)) {
          pipeline.close();
          Runtime.getRuntime().removeShutdownHook(stopper);
          System.err.printf(
              "not synced within %s: captured %d of %d changes, job caught up: %s, source_rows %d,"
                  + " ndc_rows %d, dead_letters %d%n",
              timeout, captured, load.changes(), caughtUp, sourceRows, ndcRows, deadLetters);
          return 1;
        }
        if (System.currentTimeMillis() - lastReport > 5000) {
          out.printf(
              "sync: captured %d/%d, ndc_rows %d/%d, dead_letters %d%n",
              captured, load.changes(), ndcRows, sourceRows, deadLetters);
          lastReport = System.currentTimeMillis();
        }
        Thread.sleep(250);
      }
    }
  }

  private static LocalPipeline.Agency demoAgency(LocalPipeline pipeline) {
    return pipeline.agencies().stream()
        .filter(a -> a.name().equals(DEMO_AGENCY))
        .findFirst()
        .orElse(pipeline.agencies().get(0));
  }

  private static void failIfJobDied(LocalPipeline pipeline) throws Exception {
    JobStatus state = pipeline.job().getJobStatus().get();
    if (state.isGloballyTerminalState()) {
      throw new IllegalStateException("the person-sync job stopped with status " + state);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
