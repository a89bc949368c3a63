package vn.ndc.sync.config;

import java.time.Duration;
import java.util.List;
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

  /** How the job's Kafka clients reach the brokers. */
  public enum KafkaSecurityProtocol {
    /** No encryption: only inside a network the brokers' listener is restricted to. */
    PLAINTEXT,
    /** TLS, the brokers' certificates checked against {@link #KAFKA_SSL_TRUSTSTORE}. */
    SSL
  }

  public static final ConfigOption<KafkaSecurityProtocol> KAFKA_SECURITY_PROTOCOL =
      ConfigOptions.key("kafka.security-protocol")
          .enumType(KafkaSecurityProtocol.class)
          .defaultValue(KafkaSecurityProtocol.PLAINTEXT)
          .withDescription(
              "How every Kafka client of the job (the raw topics' source, the person, review and"
                  + " dead-letter sinks) reaches the brokers: PLAINTEXT, only for brokers on the"
                  + " job's machine (localhost or a loopback address), or SSL (TLS, with the"
                  + " brokers' certificates and host names checked against kafka.ssl.truststore).");

  public static final ConfigOption<String> KAFKA_SSL_TRUSTSTORE =
      ConfigOptions.key("kafka.ssl.truststore")
          .stringType()
          .defaultValue("")
          .withDescription(
              "PEM file with the CA certificates the brokers' certificates must chain to (with"
                  + " Strimzi: key ca.crt of Secret <cluster>-cluster-ca-cert), readable where the"
                  + " job is built and on every TaskManager; required with kafka.security-protocol"
                  + " SSL, refused without it.");

  public static final ConfigOption<String> KAFKA_SSL_KEYSTORE =
      ConfigOptions.key("kafka.ssl.keystore")
          .stringType()
          .defaultValue("")
          .withDescription(
              "PKCS12 file with the job's own private key and certificate, for brokers that ask"
                  + " clients for one (mutual TLS; with Strimzi: key user.p12 of a KafkaUser's"
                  + " Secret); empty: the job presents none. Only with kafka.security-protocol SSL.");

  public static final ConfigOption<String> KAFKA_SSL_KEYSTORE_PASSWORD =
      ConfigOptions.key("kafka.ssl.keystore-password")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Password of kafka.ssl.keystore (Strimzi: key user.password); PersonSyncMain takes"
                  + " it from the environment variable NDC_KAFKA_KEYSTORE_PASSWORD when set.");

  public static final ConfigOption<String> REGISTRY_URL =
      ConfigOptions.key("registry.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Schema registry URL (Apicurio root, its /apis/registry/v3 or /apis/ccompat/v7):"
                  + " https://, or http:// only to a registry on the job's machine (localhost or a"
                  + " loopback address).");

  public static final ConfigOption<String> REGISTRY_SSL_TRUSTSTORE =
      ConfigOptions.key("registry.ssl.truststore")
          .stringType()
          .defaultValue("")
          .withDescription(
              "PEM file with the CA certificate of an HTTPS registry (registry.url https://...),"
                  + " when a private CA signed it; empty trusts the JVM's CAs. Host names are"
                  + " checked.");

  public static final ConfigOption<String> CONNECTORS_DIR =
      ConfigOptions.key("connectors.dir")
          .stringType()
          .defaultValue("connectors")
          .withDescription(
              "Folder holding one sub-folder per agency with its mapping.yaml, for the job's"
                  + " main when it is given no --connectors argument (`local` takes its own"
                  + " --connectors).");

  public static final ConfigOption<String> STORE_JDBC_URL =
      ConfigOptions.key("store.jdbc-url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "JDBC URL of the NDC PostgreSQL store. TLS is set in the URL as pgjdbc reads it:"
                  + " ?sslmode=verify-full&sslrootcert=<PEM file with the store's CA> encrypts"
                  + " and checks the server's certificate and host name. Checked before the job"
                  + " starts: a verifying mode needs sslrootcert, sslrootcert needs a mode that"
                  + " cannot fall back to plain text, and a store that is not on the job's machine"
                  + " (localhost or a loopback address) needs sslmode=verify-full or verify-ca.");

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
          .withDescription(
              "Rows per JDBC batch written to the NDC store. A batch holds one record per row:"
                  + " of several versions of a row, the one the store's version guard keeps.");

  public static final ConfigOption<Duration> STORE_BATCH_INTERVAL =
      ConfigOptions.key("store.batch-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(50))
          .withDescription(
              "Longest time a partial batch waits before it is written, counted from its first"
                  + " record: at low rates, about half of it is added to the median commit→store"
                  + " latency.");

  public static final ConfigOption<String> PERSON_TOPIC =
      ConfigOptions.key("topics.person")
          .stringType()
          .defaultValue("ndc.person")
          .withDescription("Compacted Avro topic of canonical persons, keyed by person key.");

  public static final ConfigOption<String> PERSON_ANALYST_TOPIC =
      ConfigOptions.key("topics.person-analyst")
          .stringType()
          .defaultValue("ndc.person-analyst")
          .withDescription(
              "Compacted Avro topic of the merged persons as analysts may read them"
                  + " (AnalystPerson): no sensitive field, keyed by the pseudonym of the personal"
                  + " ID that the store's analyst views show as person_ref. Empty: not written"
                  + " (analysts then read only the store's views).");

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
          .withDescription(
              "Parallelism of the job's operators: 1 to max-parallelism; change it through a"
                  + " savepoint upgrade, which redistributes the keyed state.");

  public static final ConfigOption<Integer> MAX_PARALLELISM =
      ConfigOptions.key("max-parallelism")
          .intType()
          .defaultValue(128)
          .withDescription(
              "The most subtasks the job's keyed steps can ever be rescaled to: the number of key"
                  + " groups Flink splits their state into at the job's first start, which a"
                  + " savepoint keeps; a job restored with another value cannot read its state."
                  + " 128 is what Flink derived for this job before the option existed; choose a"
                  + " larger one (up to 32768) only for a new deployment.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("Interval between Flink checkpoints.");

  public static final ConfigOption<String> REVIEW_TOPIC =
      ConfigOptions.key("topics.review")
          .stringType()
          .defaultValue("review.person-unmatched")
          .withDescription(
              "Compacted Avro topic of agency records not linked to exactly one citizen, keyed by"
                  + " source identity, with the candidates and what became of them.");

  public static final ConfigOption<Duration> REDELIVERY_TTL =
      ConfigOptions.key("enrich.redelivery-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "How long the last applied version of a source row is remembered to drop"
                  + " redeliveries. Set it longer than the raw topics' retention: a record"
                  + " read again after this long passes as new to every topic the job writes"
                  + " (the store's ordered upsert still ignores it).");

  public static final ConfigOption<Duration> REVIEW_TTL =
      ConfigOptions.key("enrich.review-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(30))
          .withDescription(
              "How long an unlinked record waits in review for the population data to gain or"
                  + " correct its citizen (and a demographic link is watched) before it expires.");

  public static final ConfigOption<List<String>> SOURCE_PRIORITY =
      ConfigOptions.key("enrich.source-priority")
          .stringType()
          .asList()
          .defaultValues("population", "civil-registry", "health-insurance", "land-registry")
          .withDescription(
              "Survivorship: agencies from most to least trusted; each field of the merged NDC"
                  + " person comes from the highest-ranked agency that has it, ties by latest"
                  + " commit (a YAML list, or names separated by ';').");

  public static final ConfigOption<Duration> DELETE_RETENTION =
      ConfigOptions.key("enrich.delete-retention")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "How long the merge remembers an agency's delete of a person, so an older"
                  + " redelivered change cannot bring the contribution back.");

  public static final ConfigOption<Boolean> POPULATION_CONTRIBUTES =
      ConfigOptions.key("enrich.population-contributes")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Whether citizens contribute their own fields to the merged NDC person (then every"
                  + " citizen becomes an NDC person, reported by an agency or not).");

  /** Where the job keeps its keyed state. */
  public enum StateBackendKind {
    /** RocksDB on local disk, incremental checkpoints: state larger than memory. */
    ROCKSDB,
    /** Java heap: faster for small state, bounded by memory. */
    HASHMAP
  }

  public static final ConfigOption<StateBackendKind> STATE_BACKEND =
      ConfigOptions.key("state-backend")
          .enumType(StateBackendKind.class)
          .defaultValue(StateBackendKind.ROCKSDB)
          .withDescription(
              "State backend of the job: rocksdb (population, review and merge state can exceed"
                  + " memory) or hashmap.");
}
