package vn.ndc.sync.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vn.ndc.sync.bench.BenchSettings;
import vn.ndc.sync.bench.Benchmarks;

/** `ndc-sync bench`: measures ndc-sync against the peer pipeline and the pgoutput ceiling. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures, on embedded components, the pgoutput decode ceiling, Debezium's PostgreSQL"
          + " connector alone, the peer pipeline (Debezium source + Kafka + Debezium JDBC sink in"
          + " one Kafka Connect standalone worker) and ndc-sync: snapshot rate, end-to-end"
          + " streaming throughput, commit→store latency at fixed offered rates, CPU per row by"
          + " role, and peak memory.",
      "Writes BENCHMARKS.md (its generated section) and bench-results.json to --output-dir."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description =
          "Rows per run, for the snapshot and again for streaming (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description = "Measured runs of each part after its warm-up (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--warmup-rows",
      defaultValue = "-1",
      description =
          "Rows of the warm-up run of each part (default: rows / 5, at least 1000; 0 = no"
              + " warm-up).")
  long warmupRows;

  @Option(
      names = "--transaction-rows",
      defaultValue = "10000",
      description = "Single-row inserts per source transaction (default: ${DEFAULT-VALUE}).")
  int transactionRows;

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "1000,5000",
      description =
          "Offered insert rates (rows/s) at which latency is measured (default: ${DEFAULT-VALUE}).")
  List<Integer> rates;

  @Option(
      names = "--paced-seconds",
      defaultValue = "60",
      description =
          "Longest paced load per rate, in seconds (capped at --rows rows; default:"
              + " ${DEFAULT-VALUE}).")
  int pacedSeconds;

  @Option(
      names = "--parts",
      split = ",",
      defaultValue = "ceiling,debezium,peer,ndc-sync",
      description =
          "Parts to run: ceiling (a bare pgoutput reader), debezium (Debezium's connector alone,"
              + " nothing downstream), peer (Kafka Connect with the JDBC sink), ndc-sync (default:"
              + " ${DEFAULT-VALUE}).")
  List<String> parts;

  @Option(
      names = "--seed",
      defaultValue = "20250701",
      description = "Seed of the generated people (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--work-dir",
      defaultValue = ".ndc-bench",
      description =
          "Data of every component; emptied at start and deleted at the end unless"
              + " --keep-work-dir (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--keep-work-dir",
      description =
          "Keep the components' data in --work-dir after the report (about 17 GB after a default"
              + " report with --population), to look into a run.")
  boolean keepWorkDir;

  @Option(
      names = "--output-dir",
      defaultValue = ".",
      description = "Where BENCHMARKS.md and bench-results.json go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Option(
      names = "--agency",
      defaultValue = "connectors/civil-registry",
      description =
          "Agency folder whose mapping and Debezium settings ndc-sync runs with (default:"
              + " ${DEFAULT-VALUE}).")
  Path agency;

  @Option(
      names = "--job-config",
      defaultValue = "jobs/person-sync.yaml",
      description = "Config of the person-sync job (default: ${DEFAULT-VALUE}).")
  Path jobConfig;

  @Option(
      names = "--parallelism",
      defaultValue = "0",
      description =
          "Parallelism of ndc-sync's job in the bench, in place of the job file's (default: 0,"
              + " the job file's). The peer's connectors run one task each.")
  int parallelism;

  @Option(
      names = "--interleave",
      description =
          "Alternate the peer's and ndc-sync's runs (ABBA), both pipelines' processes up"
              + " throughout, and add paired ratios (run i over run i). Off by default: with both"
              + " pipelines resident, latency at 5,000/s measured worse for both (BENCHMARKS.md,"
              + " the log).")
  boolean interleave;

  @Option(
      names = "--population",
      defaultValue = "none",
      description =
          "Population of ndc-sync's runs: none (default; no citizen is known, so every row waits"
              + " in review, the longest enrich path), or the agency folder of the population"
              + " database (e.g. connectors/population): it runs on a PostgreSQL server of its"
              + " own, as in production, its capture beside the bench agency's, and before the"
              + " streaming phase it gets a citizen for every row still"
              + " to be inserted, so streamed and paced rows link by personal ID (merge,"
              + " ndc.person store and topic). The snapshot phase is the same in both.")
  String population;

  @Override
  public Integer call() throws Exception {
    for (String part : parts) {
      if (!Benchmarks.PARTS.contains(part)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--parts: unknown part '" + part + "'; use " + Benchmarks.PARTS);
      }
    }
    if (parallelism < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--parallelism must be 0 (the job file's) or positive");
    }
    if (rows <= 0 || repeat <= 0 || transactionRows <= 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--rows, --repeat and --transaction-rows must be positive");
    }
    Path populationTemplate = "none".equals(population) ? null : Path.of(population);
    if (populationTemplate != null
        && !java.nio.file.Files.isRegularFile(populationTemplate.resolve("mapping.yaml"))) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--population: "
              + population
              + " is not an agency folder (no mapping.yaml); use none"
              + " or e.g. connectors/population");
    }
    long warmup = warmupRows >= 0 ? warmupRows : Math.max(rows / 5, 1000);
    String command =
        "java -jar target/ndc-sync.jar "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    System.setProperty(
        "ndc.log.file", workDir.resolveSibling(workDir.getFileName() + ".log").toString());
    BenchSettings settings =
        new BenchSettings(
            rows,
            repeat,
            warmup,
            transactionRows,
            rates,
            pacedSeconds,
            parts,
            seed,
            workDir,
            outputDir,
            agency,
            jobConfig,
            parallelism,
            populationTemplate,
            interleave,
            keepWorkDir,
            command.trim());
    new Benchmarks(settings, System.out).run();
    return 0;
  }
}
