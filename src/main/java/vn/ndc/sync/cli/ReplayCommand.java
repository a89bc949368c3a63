package vn.ndc.sync.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.KafkaClientSecurity;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.DeadLetterReplay;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.job.PersonSyncMain;
import vn.ndc.sync.local.LocalEndpoints;

/** `ndc-sync replay-dead-letters`: sends dead-lettered changes through the pipeline again. */
@Command(
    name = "replay-dead-letters",
    mixinStandardHelpOptions = true,
    description = {
      "Sends dead-lettered changes through the pipeline again, once the agency's table or the"
          + " mapping that made them fail is fixed (and the job runs the new mapping): the raw"
          + " record each dead letter names is appended again, unchanged, to its raw topic and"
          + " partition. Safe to repeat: the job's dedup drops a change whose row has since"
          + " passed with a newer version; one that fails again gets a new dead letter.",
      "Exit code 0 when done, 1 when a record could not be read or sent (run it again once"
          + " fixed), 2 on a configuration error."
    })
public final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The job's options file (jobs/person-sync.yaml as deployed): the brokers, their TLS"
              + " settings, the registry and the dead-letter topic; the keystore password from"
              + " NDC_KAFKA_KEYSTORE_PASSWORD, as the job reads it.")
  Path config;

  @Option(names = "--local", description = "Use the running `local` of --work-dir instead.")
  boolean local;

  @Option(
      names = "--work-dir",
      defaultValue = ".ndc-local",
      description = "Work directory of `local` (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--agency",
      paramLabel = "NAME",
      description = "Only this agency's dead letters; repeat for more (default: all).")
  List<String> agencies = List.of();

  @Option(
      names = "--rule",
      paramLabel = "RULE",
      description =
          "Only dead letters of this rule, e.g. person.source.column-missing; repeat for more"
              + " (default: all).")
  List<String> rules = List.of();

  @Option(
      names = "--since",
      paramLabel = "INSTANT",
      description = "Only dead letters written at or after this time, e.g. 2026-12-07T08:00:00Z.")
  String since;

  @Option(
      names = "--dead-letter-topic",
      paramLabel = "TOPIC",
      description =
          "The dead-letter topic to read (default: topics.dead-letter of --config, or the job's"
              + " default with --local).")
  String deadLetterTopic;

  @Option(names = "--dry-run", description = "Count what would be sent; send nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (local == (config != null)) {
      throw new ConfigException("pass either --config FILE or --local");
    }
    DeadLetterReplay.Filter filter =
        new DeadLetterReplay.Filter(Set.copyOf(agencies), Set.copyOf(rules), sinceInstant());
    Map<String, Object> kafka = new HashMap<>();
    Map<String, Object> serde;
    String topic;
    if (local) {
      Map<String, String> endpoints =
          LocalEndpoints.read(workDir)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "no running `local` found in "
                              + workDir
                              + "; start it, or pass --config with the cluster's job file"));
      kafka.put("bootstrap.servers", endpoints.get("kafka"));
      serde = RegistrySerde.confluentWireFormat(endpoints.get("registry-v3"));
      topic = PersonSyncOptions.DEAD_LETTER_TOPIC.defaultValue();
    } else {
      Configuration options = PersonSyncMain.loadOptions(config);
      kafka.put("bootstrap.servers", options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS));
      kafka.putAll(KafkaClientSecurity.properties(options));
      serde = PersonSyncJob.serdeConfig(options);
      topic = options.get(PersonSyncOptions.DEAD_LETTER_TOPIC);
    }
    if (deadLetterTopic != null) {
      topic = deadLetterTopic;
    }
    new DeadLetterReplay(kafka, serde, topic, out).run(filter, dryRun);
    return 0;
  }

  private Instant sinceInstant() {
    if (since == null) {
      return null;
    }
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "--since: '" + since + "' is not an instant such as 2026-12-07T08:00:00Z");
    }
  }
}
