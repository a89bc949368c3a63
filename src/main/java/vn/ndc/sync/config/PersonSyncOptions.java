package vn.ndc.sync.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the person-sync Flink job: where it reads, where it writes, how it batches. */
public final class PersonSyncOptions {

  private PersonSyncOptions() {}

  public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka bootstrap servers, host:port[,host:port].");

  public static final ConfigOption<String> REGISTRY_URL =
      ConfigOptions.key("registry.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Schema registry URL (Apicurio root, its /apis/registry/v3 or /apis/ccompat/v7).");

  public static final ConfigOption<String> CONNECTORS_DIR =
      ConfigOptions.key("connectors.dir")
          .stringType()
          .defaultValue("connectors")
          .withDescription("Folder holding one sub-folder per agency with its mapping.yaml.");

  public static final ConfigOption<String> STORE_JDBC_URL =
      ConfigOptions.key("store.jdbc-url")
          .stringType()
          .noDefaultValue()
          .withDescription("JDBC URL of the NDC PostgreSQL store.");

  public static final ConfigOption<String> STORE_USER =
      ConfigOptions.key("store.user")
          .stringType()
          .defaultValue("postgres")
          .withDescription("User of the NDC store.");

  public static final ConfigOption<String> STORE_PASSWORD =
      ConfigOptions.key("store.password")
          .stringType()
          .defaultValue("")
          .withDescription("Password of the NDC store.");

  public static final ConfigOption<Integer> STORE_BATCH_SIZE =
      ConfigOptions.key("store.batch-size")
          .intType()
          .defaultValue(500)
          .withDescription("Rows per JDBC batch written to the NDC store.");

  public static final ConfigOption<Duration> STORE_BATCH_INTERVAL =
      ConfigOptions.key("store.batch-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(100))
          .withDescription("Longest time a partial batch waits before it is written.");

  public static final ConfigOption<String> PERSON_TOPIC =
      ConfigOptions.key("topics.person")
          .stringType()
          .defaultValue("ndc.person")
          .withDescription("Compacted Avro topic of canonical persons, keyed by person key.");

  public static final ConfigOption<String> DEAD_LETTER_TOPIC =
      ConfigOptions.key("topics.dead-letter")
          .stringType()
          .defaultValue("dlq.standardize")
          .withDescription("Topic receiving records that fail decoding, mapping or quality rules.");

  public static final ConfigOption<String> CONSUMER_GROUP =
      ConfigOptions.key("kafka.group-id")
          .stringType()
          .defaultValue("ndc-person-sync")
          .withDescription(
              "Consumer group of the job's Kafka source (offsets also live in checkpoints).");

  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("kafka.transactional-id-prefix")
          .stringType()
          .defaultValue("ndc-person-sync")
          .withDescription(
              "Prefix of the Kafka transactional ids of the job's exactly-once sinks: unique per"
                  + " job on the cluster, unchanged across restarts.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("parallelism")
          .intType()
          .defaultValue(2)
          .withDescription("Parallelism of the job's operators.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("Interval between Flink checkpoints.");
}
