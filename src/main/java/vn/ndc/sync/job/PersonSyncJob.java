package vn.ndc.sync.job;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JdbcUrl;
import vn.ndc.sync.config.KafkaClientSecurity;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.config.RegistryTrust;
import vn.ndc.sync.deliver.AnalystTopicSerialization;
import vn.ndc.sync.deliver.AvroTopicSerialization;
import vn.ndc.sync.deliver.ExactlyOnceKafka;
import vn.ndc.sync.deliver.PersonStoreSink;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.enrich.EnrichTopology;
import vn.ndc.sync.standardize.DecodeRawRecord;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.StandardizePerson;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/**
 * The person-sync job: raw Debezium topics → decode → standardize (agency rows to Person,
 * population rows to Citizen) → dedup and enrich (personal ID attached, one person per citizen) →
 * the NDC store ({@code ndc.person_source} per agency record, {@code ndc.person} merged) and the
 * compacted {@code ndc.person} and {@code review.person-unmatched} topics; rejects go to the
 * dead-letter topic.
 */
public final class PersonSyncJob {

  private PersonSyncJob() {}

  /** Where the job's results go; tests swap them. {@code analystTopic} may be null: not written. */
  public record Sinks(
      Sink<Person> personStore,
      Sink<Person> sourceStore,
      Sink<Person> personTopic,
      Sink<Person> analystTopic,
      Sink<PersonReview> reviewTopic,
      Sink<DeadLetter> deadLetters) {}

  /**
   * Composes the job's chain on {@code raw}: decode, standardize (agency records to persons, the
   * population database to citizens), dedup and enrich, then the sinks.
   */
  public static void defineWorkflow(
      DataStream<RawRecord> raw,
      Map<String, Object> serdeConfig,
      List<EntityMapping> mappings,
      EnrichTopology.Settings enrich,
      Sinks sinks) {
    SingleOutputStreamOperator<SourceChange> changes =
        raw.process(new DecodeRawRecord(serdeConfig))
            .returns(new CompiledAvroTypeInfo<>(SourceChange.class))
            .name("decode-debezium-envelope")
            .uid("decode-debezium-envelope");

    SingleOutputStreamOperator<Person> persons =
        changes
            .process(new StandardizePerson(mappings))
            .returns(new CompiledAvroTypeInfo<>(Person.class))
            .name("standardize-person")
            .uid("standardize-person");

    EnrichTopology.Result enriched =
        EnrichTopology.apply(persons.getSideOutput(StandardizePerson.POPULATION), persons, enrich);

    // One key, one writer: each store applies a row's versions in order.
    enriched
        .sourceRecords()
        .keyBy(PersonSyncJob::sourceRowKey)
        .sinkTo(sinks.sourceStore())
        .name("ndc-store-person-source")
        .uid("ndc-store-person-source");
    // The merge is keyed by personal ID, the merged person's key: its subtask already is the one a
    // keyBy would pick, so the sinks take its output as it is (chained, no shuffle). forward()
    // refuses a sink parallelism that would break that, where a default edge would rebalance.
    DataStream<Person> merged = enriched.merged().forward();
    merged.sinkTo(sinks.personStore()).name("ndc-store-person").uid("ndc-store-person");
    merged.sinkTo(sinks.personTopic()).name("ndc-topic-person").uid("ndc-topic-person");
    if (sinks.analystTopic() != null) {
      merged
          .sinkTo(sinks.analystTopic())
          .name("ndc-topic-person-analyst")
          .uid("ndc-topic-person-analyst");
    }
    // Every review comes from resolve-demographic, and its subtask for a match key writes that
    // key's reviews in order through one producer; a keyBy by review key would order them no
    // better, and cost every unlinked record a serialization and a shuffle.
    enriched
        .reviews()
        .forward()
        .sinkTo(sinks.reviewTopic())
        .name("review-topic-person")
        .uid("review-topic-person");

    changes
        .getSideOutput(DeadLetters.TAG)
        .union(persons.getSideOutput(DeadLetters.TAG))
        .sinkTo(sinks.deadLetters())
        .name("dead-letter-topic")
        .uid("dead-letter-topic");
  }

  /**
   * Sets the job's parallelism and max parallelism from its options.
   *
   * @throws ConfigException when the parallelism is not between 1 and the max parallelism, or the
   *     max parallelism not between 1 and Flink's limit
   */
  public static void setParallelism(StreamExecutionEnvironment env, Configuration options) {
    checkParallelism(options);
    env.setParallelism(options.get(PersonSyncOptions.PARALLELISM));
    env.setMaxParallelism(options.get(PersonSyncOptions.MAX_PARALLELISM));
  }

  /** Checks the options' parallelism against their max parallelism, before anything starts. */
  public static void checkParallelism(Configuration options) {
    int max = options.get(PersonSyncOptions.MAX_PARALLELISM);
    int parallelism = options.get(PersonSyncOptions.PARALLELISM);
    if (max < 1 || max > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
      throw new ConfigException(
          PersonSyncOptions.MAX_PARALLELISM.key()
              + " must be between 1 and "
              + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM
              + ", got "
              + max);
    }
    if (parallelism < 1 || parallelism > max) {
      throw new ConfigException(
          PersonSyncOptions.PARALLELISM.key()
              + " must be between 1 and "
              + PersonSyncOptions.MAX_PARALLELISM.key()
              + " ("
              + max
              + "), got "
              + parallelism);
    }
  }

  private static String sourceRowKey(Person p) {
    return p.getLineage().getSourceAgency() + "|" + p.getPersonKey();
  }

  /** The enrich stage's settings from the job options. */
  public static EnrichTopology.Settings enrichSettings(Configuration options) {
    return new EnrichTopology.Settings(
        options.get(PersonSyncOptions.REDELIVERY_TTL),
        options.get(PersonSyncOptions.REVIEW_TTL),
        options.get(PersonSyncOptions.SOURCE_PRIORITY),
        options.get(PersonSyncOptions.DELETE_RETENTION),
        options.get(PersonSyncOptions.POPULATION_CONTRIBUTES));
  }

  /** The production sinks: the NDC store, and exactly-once topics through the registry. */
  public static Sinks sinks(Configuration options, Map<String, Object> serdeConfig) {
    PersonStoreSink.Settings store = storeSettings(options);
    return new Sinks(
        PersonStoreSink.persons(store),
        PersonStoreSink.sourceRecords(store),
        personTopicSink(options, serdeConfig),
        options.get(PersonSyncOptions.PERSON_ANALYST_TOPIC).isEmpty()
            ? null
            : analystTopicSink(options, serdeConfig),
        reviewSink(options, serdeConfig),
        deadLetterSink(options, serdeConfig));
  }

  /** The Kafka source over the raw topics of every mapping, resuming from committed offsets. */
  public static KafkaSource<RawRecord> rawSource(Configuration options, List<String> topics) {
    KafkaSourceBuilder<RawRecord> builder =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS))
            .setTopics(topics)
            .setGroupId(options.get(PersonSyncOptions.CONSUMER_GROUP))
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setDeserializer(new RawRecordDeserializer())
            .setProperty("isolation.level", "read_committed")
            .setProperty("partition.discovery.interval.ms", "10000");
    KafkaClientSecurity.properties(options).forEach(builder::setProperty);
    return builder.build();
  }

  /** A sink builder for the job's brokers, with the job's client security settings. */
  private static <T> KafkaSinkBuilder<T> sinkBuilder(Configuration options) {
    KafkaSinkBuilder<T> builder =
        KafkaSink.<T>builder()
            .setBootstrapServers(options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS));
    KafkaClientSecurity.properties(options).forEach(builder::setProperty);
    return builder;
  }

  /**
   * Exactly-once Kafka sink for canonical persons: key = person key, deleted persons become
   * tombstones; records become visible to read_committed readers at checkpoint completion.
   */
  public static KafkaSink<Person> personTopicSink(
      Configuration options, Map<String, Object> serdeConfig) {
    return ExactlyOnceKafka.exactlyOnce(
            PersonSyncJob.<Person>sinkBuilder(options)
                .setRecordSerializer(
                    new AvroTopicSerialization<>(
                        Person.class,
                        options.get(PersonSyncOptions.PERSON_TOPIC),
                        serdeConfig,
                        Person::getPersonKey,
                        Person::getDeleted)),
            options.get(PersonSyncOptions.TRANSACTIONAL_ID_PREFIX),
            "person")
        .build();
  }

  /**
   * Exactly-once Kafka sink for the analysts' view of the merged persons (no sensitive field, key =
   * pseudonym of the personal ID under the store's secret); deleted persons become tombstones.
   */
  public static KafkaSink<Person> analystTopicSink(
      Configuration options, Map<String, Object> serdeConfig) {
    return ExactlyOnceKafka.exactlyOnce(
            PersonSyncJob.<Person>sinkBuilder(options)
                .setRecordSerializer(
                    new AnalystTopicSerialization(
                        options.get(PersonSyncOptions.PERSON_ANALYST_TOPIC),
                        serdeConfig,
                        storeSettings(options))),
            options.get(PersonSyncOptions.TRANSACTIONAL_ID_PREFIX),
            "person-analyst")
        .build();
  }

  /** Exactly-once Kafka sink for review records: key = source identity (compacted topic). */
  public static KafkaSink<PersonReview> reviewSink(
      Configuration options, Map<String, Object> serdeConfig) {
    return ExactlyOnceKafka.exactlyOnce(
            PersonSyncJob.<PersonReview>sinkBuilder(options)
                .setRecordSerializer(
                    new AvroTopicSerialization<>(
                        PersonReview.class,
                        options.get(PersonSyncOptions.REVIEW_TOPIC),
                        serdeConfig,
                        PersonReview::getReviewKey,
                        r -> false)),
            options.get(PersonSyncOptions.TRANSACTIONAL_ID_PREFIX),
            "review")
        .build();
  }

  /** Exactly-once Kafka sink for dead letters, keyed by raw topic/partition/offset. */
  public static KafkaSink<DeadLetter> deadLetterSink(
      Configuration options, Map<String, Object> serdeConfig) {
    return ExactlyOnceKafka.exactlyOnce(
            PersonSyncJob.<DeadLetter>sinkBuilder(options)
                .setRecordSerializer(
                    new AvroTopicSerialization<>(
                        DeadLetter.class,
                        options.get(PersonSyncOptions.DEAD_LETTER_TOPIC),
                        serdeConfig,
                        d -> d.getRawTopic() + "/" + d.getRawPartition() + "/" + d.getRawOffset(),
                        d -> false)),
            options.get(PersonSyncOptions.TRANSACTIONAL_ID_PREFIX),
            "dead-letter")
        .build();
  }

  /**
   * Where the NDC store sinks write, from the job options, its URL checked ({@link
   * JdbcUrl#checkStore}).
   */
  public static PersonStoreSink.Settings storeSettings(Configuration options) {
    return new PersonStoreSink.Settings(
        JdbcUrl.checkStore(
            options.get(PersonSyncOptions.STORE_JDBC_URL), PersonSyncOptions.STORE_JDBC_URL.key()),
        options.get(PersonSyncOptions.STORE_USER),
        options.get(PersonSyncOptions.STORE_PASSWORD),
        options.get(PersonSyncOptions.STORE_BATCH_SIZE),
        options.get(PersonSyncOptions.STORE_BATCH_INTERVAL).toMillis());
  }

  /** Raw topic of a mapping: {@code raw.<agency>.<table without schema>}. */
  public static String rawTopic(EntityMapping mapping) {
    String table = mapping.table();
    int dot = table.indexOf('.');
    return "raw." + mapping.agency() + "." + (dot < 0 ? table : table.substring(dot + 1));
  }

  /** Serde settings of the job's registry. */
  public static Map<String, Object> serdeConfig(Configuration options) {
    return RegistrySerde.confluentWireFormat(
        options.get(PersonSyncOptions.REGISTRY_URL), RegistryTrust.truststore(options));
  }

  /** The source stream on an environment, named and with a stable uid. */
  public static DataStream<RawRecord> rawStream(
      StreamExecutionEnvironment env, KafkaSource<RawRecord> source) {
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "raw-topics").uid("raw-topics");
  }
}
