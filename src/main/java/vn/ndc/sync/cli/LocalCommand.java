package vn.ndc.sync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.local.DeadLetterCounts;
import vn.ndc.sync.local.DemoLoad;
import vn.ndc.sync.local.FileTrees;
import vn.ndc.sync.local.JobMetrics;
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
          + " database, NDC store), MariaDB (agency sources using the MariaDB connector), a Kafka"
          + " broker, Apicurio Registry, Debezium and Flink.",
      "Prints one 'endpoint <name> <url>' line per endpoint; Ctrl-C stops everything."
    })
public final class LocalCommand implements Callable<Integer> {

  @Option(
      names = "--work-dir",
      defaultValue = ".ndc-local",
      description = "Data of every component (default: ${DEFAULT-VALUE}); reused by the next run.")
  Path workDir;

  @Option(
      names = "--reset",
      description = "Delete the work directory first and start from empty databases and topics.")
  boolean reset;

  @Option(
      names = "--connectors",
      defaultValue = "connectors",
      description = "Folder with one sub-folder per agency (default: ${DEFAULT-VALUE}).")
  Path connectors;

  @Option(
      names = "--job-config",
      defaultValue = "jobs/person-sync.yaml",
      description = "Config of the person-sync job (default: ${DEFAULT-VALUE}).")
  Path jobConfig;

  @Option(
      names = "--rows",
      defaultValue = "0",
      description =
          "Make this many changes (inserts, updates, deletes), split across the demo agency"
              + " databases (civil-registry, health-insurance, land-registry); see"
              + " --invalid-percent for inserts that are invalid on purpose (default: none).")
  long rows;

  @Option(
      names = "--seed",
      defaultValue = "20250701",
      description = "Seed of the demo load (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--invalid-percent",
      defaultValue = "0",
      description =
          "Share of the demo inserts that are invalid on purpose (bad personal ID, birth date in"
              + " the future), to exercise the dead-letter path (default: ${DEFAULT-VALUE}).")
  int invalidPercent;

  @Option(
      names = "--until-synced",
      description =
          "Exit 0 once every change is in the NDC store or dead-lettered; print a JSON summary as the last line.")
  boolean untilSynced;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description =
          "With --until-synced: give up and exit 1 after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--postgres-port",
      defaultValue = "0",
      description = "Port of the embedded PostgreSQL (0 = a free port).")
  int postgresPort;

  @Option(
      names = "--mariadb-port",
      defaultValue = "0",
      description =
          "Port of the embedded MariaDB, started when an agency uses the MariaDB connector (0 = a free port).")
  int mariaDbPort;

  @Option(
      names = "--kafka-port",
      defaultValue = "0",
      description = "Port of the Kafka broker (0 = a free port).")
  int kafkaPort;

  @Option(
      names = "--registry-port",
      defaultValue = "0",
      description = "Port of the schema registry (0 = a free port).")
  int registryPort;

  @Option(
      names = "--flink-ui-port",
      defaultValue = "8081",
      description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}; 0 = a free port).")
  int flinkUiPort;

  @Option(
      names = "--metrics-port",
      description =
          "Serve the job's metrics for Prometheus on this port, at /metrics (0 = a free port;"
              + " default: none). Flink's reporter listens on every interface.")
  Integer metricsPort;

  @Option(
      names = "--capture-metrics-port",
      description =
          "Serve the captures' Debezium metrics and the embedded broker's for Prometheus on this"
              + " port, at /metrics, on 127.0.0.1, with the rules the Kafka Connect workers and"
              + " Kafka nodes use in Kubernetes (0 = a free port; default: none).")
  Integer captureMetricsPort;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (reset) {
      FileTrees.deleteRecursively(workDir);
    }
    Files.createDirectories(workDir);
    if (System.getProperty("ndc.log.file") == null) {
      // Read by log4j2.xml when the first logger starts, which is after this: nothing logs before.
      System.setProperty("ndc.log.file", workDir.resolve("ndc-sync.log").toString());
    }
    LocalSettings settings =
        new LocalSettings(
            workDir,
            connectors,
            jobConfig,
            postgresPort,
            kafkaPort,
            registryPort,
            flinkUiPort,
            mariaDbPort,
            metricsPort == null ? LocalSettings.NO_METRICS : metricsPort,
            captureMetricsPort == null ? LocalSettings.NO_METRICS : captureMetricsPort);
    LocalPipeline pipeline = LocalPipeline.start(settings, out);
    Thread stopper = new Thread(pipeline::close, "ndc-local-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    pipeline.awaitReady(Duration.ofMinutes(2));
    pipeline.endpoints().forEach((name, url) -> out.println("endpoint " + name + " " + url));
    // verify --local and scripts find the endpoints here.
    LocalEndpoints.write(workDir, pipeline.endpoints());
    String dlqTopic = pipeline.jobOptions().get(PersonSyncOptions.DEAD_LETTER_TOPIC);
    String personTopic = pipeline.jobOptions().get(PersonSyncOptions.PERSON_TOPIC);
    try (Admin admin =
            Admin.create(Map.of("bootstrap.servers", pipeline.kafka().bootstrapServers()));
        DeadLetterCounts deadLetters =
            new DeadLetterCounts(
                pipeline.kafka().bootstrapServers(), pipeline.registry().apiV3Url(), dlqTopic)) {
      SyncStatus status = new SyncStatus(admin);
      List<String> rawTopics = pipeline.rawTopics();
      List<LocalPipeline.Agency> agencies = pipeline.agencies();
      Map<String, Long> rawBefore = new LinkedHashMap<>();
      for (LocalPipeline.Agency agency : agencies) {
        rawBefore.put(agency.name(), status.endOffsets(List.of(rawTopic(agency))));
      }
      Instant started = Instant.now();
      Map<String, DemoLoad.AgencyResult> load = Map.of();
      if (rows > 0) {
        List<LocalPipeline.Agency> demo =
            agencies.stream().filter(a -> DemoLoad.AGENCIES.contains(a.name())).toList();
        LocalPipeline.Agency populationDb =
            agencies.stream()
                .filter(a -> a.name().equals(DemoLoad.POPULATION))
                .findFirst()
                .orElse(null);
        if (demo.isEmpty()) {
          throw new ConfigException(
              "--rows: none of the demo agencies "
                  + DemoLoad.AGENCIES
                  + " is under "
                  + connectors
                  + "; add one or run without --rows");
        }
        out.printf(
            "load: making %d changes in %s%n",
            rows, demo.stream().map(LocalPipeline.Agency::name).toList());
        Map<String, Connection> sources = new LinkedHashMap<>();
        try {
          for (LocalPipeline.Agency agency : demo) {
            sources.put(agency.name(), pipeline.connectSource(agency));
          }
          if (populationDb != null) {
            sources.put(DemoLoad.POPULATION, pipeline.connectSource(populationDb));
          }
          load = new DemoLoad(seed, invalidPercent, out).run(sources, rows);
        } finally {
          for (Connection c : sources.values()) {
            c.close();
          }
        }
        DemoLoad.Result total = DemoLoad.total(load);
        out.printf(
            "load: done in %.1f s (%d inserts, %d updates, %d deletes)%n",
            Duration.between(started, Instant.now()).toMillis() / 1000.0,
            total.inserts(),
            total.updates(),
            total.deletes());
      }
      if (!untilSynced) {
        out.println("running; press Ctrl-C to stop");
        new CountDownLatch(1).await();
        return 0;
      }
      Instant deadline = started.plus(timeout);
      long lastReport = 0;
      // Rows made invalid by an earlier run on the same work directory are not known to this one:
      // then the counts are accepted once they stay unchanged, caught up, for two checkpoints.
      Duration settle =
          pipeline.jobOptions().get(PersonSyncOptions.CHECKPOINT_INTERVAL).multipliedBy(2);
      Object settledCounts = null;
      Instant settledSince = Instant.now();
      while (true) {
        failIfJobDied(pipeline);
        deadLetters.update();
        boolean caughtUp =
            status.caughtUp(pipeline.jobOptions().get(PersonSyncOptions.CONSUMER_GROUP), rawTopics);
        Map<String, Map<String, Long>> links;
        try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE)) {
          links = liveRowsByAgencyAndMethod(ndc);
        }
        Map<String, Long> ndcByAgency = new LinkedHashMap<>();
        links.forEach(
            (agency, byMethod) ->
                ndcByAgency.put(
                    agency, byMethod.values().stream().mapToLong(Long::longValue).sum()));
        Map<String, Map<String, Object>> perAgency = new LinkedHashMap<>();
        Map<String, Object> population = new LinkedHashMap<>();
        boolean exact = true;
        boolean allCaptured = true;
        for (LocalPipeline.Agency agency : agencies) {
          DemoLoad.AgencyResult loaded = load.get(agency.name());
          long changes = loaded == null ? 0 : loaded.changes().changes();
          long invalidLive = loaded == null ? 0 : loaded.invalidLive();
          long captured =
              status.endOffsets(List.of(rawTopic(agency))) - rawBefore.get(agency.name());
          long sourceRows;
          try (Connection src = pipeline.connectSource(agency)) {
            sourceRows = SyncStatus.count(src, agency.mapping().table(), null);
          }
          allCaptured &= captured >= changes;
          if (agency.name().equals(DemoLoad.POPULATION)) {
            population.put("changes", changes);
            population.put("captured", captured);
            population.put("source_rows", sourceRows);
            population.put("dead_letters", deadLetters.of(agency.name()));
            continue;
          }
          long ndcRows = ndcByAgency.getOrDefault(agency.name(), 0L);
          long agencyDeadLetters = deadLetters.of(agency.name());
          // Rows a load made invalid stay in the source but can only be dead letters.
          exact &= ndcRows + invalidLive == sourceRows;
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("changes", changes);
          a.put("invalid_rows", loaded == null ? 0 : loaded.invalidInserted());
          a.put("captured", captured);
          a.put("source_rows", sourceRows);
          a.put("invalid_live_rows", invalidLive);
          a.put("ndc_rows", ndcRows);
          Map<String, Long> byMethod = links.getOrDefault(agency.name(), Map.of());
          a.put("review", byMethod.getOrDefault(IN_REVIEW, 0L));
          a.put("review_expected", loaded == null ? 0 : loaded.unmatchableLive());
          a.put("matched", matchRates(byMethod, ndcRows));
          a.put("dead_letters", agencyDeadLetters);
          a.put("dead_letters_by_rule", deadLetters.byRule(agency.name()));
          perAgency.put(agency.name(), a);
        }
        long captured = sum(perAgency, "captured");
        long sourceRows = sum(perAgency, "source_rows");
        long ndcRows = sum(perAgency, "ndc_rows");
        long changes = sum(perAgency, "changes");
        if (!caughtUp || !perAgency.equals(settledCounts)) {
          settledCounts = perAgency;
          settledSince = Instant.now();
        }
        boolean settled = Duration.between(settledSince, Instant.now()).compareTo(settle) >= 0;
        if (caughtUp && allCaptured && (exact || settled)) {
          DemoLoad.Result total = DemoLoad.total(load);
          double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
          Map<String, Object> summary = new LinkedHashMap<>();
          summary.put("changes", total.changes());
          summary.put("inserts", total.inserts());
          summary.put("updates", total.updates());
          summary.put("deletes", total.deletes());
          summary.put("invalid_rows", sum(perAgency, "invalid_rows"));
          summary.put("captured", captured);
          summary.put("source_rows", sourceRows);
          summary.put("invalid_live_rows", sum(perAgency, "invalid_live_rows"));
          summary.put("ndc_rows", ndcRows);
          Map<String, Long> allMethods = new LinkedHashMap<>();
          links.forEach(
              (agency, byMethod) -> byMethod.forEach((m, n) -> allMethods.merge(m, n, Long::sum)));
          summary.put("review", allMethods.getOrDefault(IN_REVIEW, 0L));
          summary.put("matched", matchRates(allMethods, ndcRows));
          try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE)) {
            summary.put("ndc_persons", SyncStatus.count(ndc, NdcTables.PERSON, "NOT deleted"));
          }
          summary.put("population", population);
          summary.putAll(flinkMetrics(pipeline));
          summary.put("topic_records", status.endOffsets(List.of(personTopic)));
          summary.put("dead_letters", deadLetters.total());
          summary.put("dead_letters_by_rule", deadLetters.byRule());
          summary.put("agencies", perAgency);
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
              "not synced within %s: job caught up: %s; per agency: %s%n",
              timeout, caughtUp, new ObjectMapper().writeValueAsString(perAgency));
          return 1;
        }
        if (System.currentTimeMillis() - lastReport > 5000) {
          out.printf(
              "sync: captured %d/%d, ndc_rows %d/%d, dead_letters %d%n",
              captured, changes, ndcRows, sourceRows, deadLetters.total());
          lastReport = System.currentTimeMillis();
        }
        Thread.sleep(250);
      }
    }
  }

  private static String rawTopic(LocalPipeline.Agency agency) {
    return PersonSyncJob.rawTopic(agency.mapping());
  }

  private static long sum(Map<String, Map<String, Object>> perAgency, String key) {
    return perAgency.values().stream().mapToLong(a -> ((Number) a.get(key)).longValue()).sum();
  }

  private static final String IN_REVIEW = "REVIEW";

  /** Live agency records in the NDC by agency and match method ({@value #IN_REVIEW}: unlinked). */
  private static Map<String, Map<String, Long>> liveRowsByAgencyAndMethod(Connection ndc)
      throws SQLException {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    try (Statement st = ndc.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT source_agency, coalesce(match_method, '"
                    + IN_REVIEW
                    + "'), count(*) FROM "
                    + NdcTables.PERSON_SOURCE
                    + " WHERE NOT deleted GROUP BY 1, 2 ORDER BY 1, 2")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), a -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getLong(3));
      }
    }
    return out;
  }

  /** Per match method: the records it linked and their share of the agency's NDC records. */
  private static Map<String, Object> matchRates(Map<String, Long> byMethod, long ndcRows) {
    Map<String, Object> out = new LinkedHashMap<>();
    long linked = 0;
    for (String method : List.of("PERSONAL_ID", "FORMER_ID", "DEMOGRAPHIC")) {
      long n = byMethod.getOrDefault(method, 0L);
      linked += n;
      out.put(method, n);
      out.put(method + "_rate", rate(n, ndcRows));
    }
    out.put("linked", linked);
    out.put("linked_rate", rate(linked, ndcRows));
    return out;
  }

  private static double rate(long n, long of) {
    return of == 0 ? 0 : Math.round(n * 10000.0 / of) / 10000.0;
  }

  /**
   * The job's own counters and gauges as a dashboard sees them: duplicates dropped by the dedup
   * stage, records waiting in review, matches by method (summed over agencies and subtasks).
   */
  private static Map<String, Object> flinkMetrics(LocalPipeline pipeline) {
    Map<String, Object> out = new LinkedHashMap<>();
    JobMetrics metrics =
        new JobMetrics(pipeline.endpoints().get("flink-ui"), pipeline.job().getJobID().toString());
    try {
      out.put("duplicates_dropped", total(metrics.sum("duplicatesDropped")));
      out.put("flink_records_waiting", total(metrics.sum("recordsWaiting")));
      Map<String, Long> matched = new LinkedHashMap<>();
      metrics
          .sum("matched")
          .forEach(
              (name, n) -> {
                // agency.<a>.method.<m>.matched
                String[] parts = name.split("\\.");
                matched.merge(parts[parts.length - 2], n, Long::sum);
              });
      out.put("flink_matched", matched);
    } catch (IOException e) {
      out.put("flink_metrics_error", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private static long total(Map<String, Long> values) {
    return values.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void failIfJobDied(LocalPipeline pipeline) throws Exception {
    JobStatus state = pipeline.job().getJobStatus().get();
    if (state.isGloballyTerminalState()) {
      throw new IllegalStateException("the person-sync job stopped with status " + state);
    }
  }
}
