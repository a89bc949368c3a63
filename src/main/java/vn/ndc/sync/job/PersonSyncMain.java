package vn.ndc.sync.job;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JobConfig;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.NdcStore;
import vn.ndc.sync.deliver.PersonStoreSink;
import vn.ndc.sync.standardize.EntityMapping;

/**
 * Entry class of the person-sync job on a Flink cluster (application mode, e.g. a FlinkDeployment):
 * {@code --config jobs/person-sync.yaml --connectors connectors}. The store password may come from
 * the environment variable {@value #STORE_PASSWORD_ENV}, the password of the job's Kafka keystore
 * from {@value #KAFKA_KEYSTORE_PASSWORD_ENV}: secrets stay out of the job's YAML.
 */
public final class PersonSyncMain {

  static final String STORE_PASSWORD_ENV = "NDC_STORE_PASSWORD";

  static final String KAFKA_KEYSTORE_PASSWORD_ENV = "NDC_KAFKA_KEYSTORE_PASSWORD";

  /** Options whose value may come from the environment, which then wins over the YAML. */
  private static final Map<String, ConfigOption<String>> SECRETS_FROM_ENV =
      Map.of(
          STORE_PASSWORD_ENV, PersonSyncOptions.STORE_PASSWORD,
          KAFKA_KEYSTORE_PASSWORD_ENV, PersonSyncOptions.KAFKA_SSL_KEYSTORE_PASSWORD);

  private PersonSyncMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = parseFlags(args);
    Configuration options =
        loadOptions(Path.of(flags.getOrDefault("--config", "jobs/person-sync.yaml")));
    List<EntityMapping> mappings = Mappings.loadAll(connectorsDir(flags, options));
    runJob(
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration()),
        options,
        mappings);
  }

  /**
   * The job's options from {@code config}, with the secrets from their environment variables,
   * validated.
   */
  public static Configuration loadOptions(Path config) {
    Map<String, String> overrides = new HashMap<>();
    SECRETS_FROM_ENV.forEach(
        (env, option) -> {
          String value = System.getenv(env);
          if (value != null) {
            overrides.put(option.key(), value);
          }
        });
    return JobConfig.load(config, overrides, PersonSyncOptions.class);
  }

  /** Prepares the store, then builds and runs the job on {@code env} until it ends. */
  public static void runJob(
      StreamExecutionEnvironment env, Configuration options, List<EntityMapping> mappings)
      throws Exception {
    // Checked before the store is touched: a bad parallelism changes nothing anywhere.
    PersonSyncJob.setParallelism(env, options);
    PersonStoreSink.Settings store = PersonSyncJob.storeSettings(options);
    NdcStore.ensureSchema(store.jdbcUrl(), store.user(), store.password());
    Map<String, Object> serde = PersonSyncJob.serdeConfig(options);
    env.configure(
        FlinkEnvironments.stateBackend(options.get(PersonSyncOptions.STATE_BACKEND)),
        PersonSyncMain.class.getClassLoader());
    env.enableCheckpointing(options.get(PersonSyncOptions.CHECKPOINT_INTERVAL).toMillis());
    PersonSyncJob.defineWorkflow(
        PersonSyncJob.rawStream(
            env,
            PersonSyncJob.rawSource(
                options, mappings.stream().map(PersonSyncJob::rawTopic).toList())),
        serde,
        mappings,
        PersonSyncJob.enrichSettings(options),
        PersonSyncJob.sinks(options, serde));
    env.execute("person-sync");
  }

  /** The agencies' folder: the {@code --connectors} argument, else the option connectors.dir. */
  static Path connectorsDir(Map<String, String> flags, Configuration options) {
    return Path.of(
        flags.getOrDefault("--connectors", options.get(PersonSyncOptions.CONNECTORS_DIR)));
  }

  /**
   * The job's two arguments. Anything else is refused: the job's options live in the file given by
   * {@code --config}, and an option passed as an argument would otherwise be ignored unseen.
   */
  static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!FLAGS.contains(args[i]) || i + 1 >= args.length) {
        throw new ConfigException(
            "unexpected argument '"
                + args[i]
                + "'; usage: --config <job.yaml> --connectors <dir> (the job's options go in the"
                + " --config file)");
      }
      flags.put(args[i], args[++i]);
    }
    return flags;
  }

  private static final java.util.Set<String> FLAGS = java.util.Set.of("--config", "--connectors");
}
