package vn.ndc.sync.job;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.AvroTopicSerialization;
import vn.ndc.sync.deliver.ExactlyOnceKafka;
import vn.ndc.sync.deliver.PersonStoreSink;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.standardize.DecodeRawRecord;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.StandardizePerson;

/**
 * The person-sync job: raw Debezium topics → decode → standardize to the canonical Person → the NDC
 * store and the compacted {@code ndc.person} topic; rejects go to the dead-letter topic.
 */
public final class PersonSyncJob {

  private PersonSyncJob() {}

  /** Composes the job's chain on {@code raw}; the sinks are parameters so tests can swap them. */
  public static void defineWorkflow(
      DataStream<RawRecord> raw,
      Map<String, Object> serdeConfig,
      List<EntityMapping> mappings,
      Sink<Person> storeSink,
      Sink<Person> topicSink,
      Sink<DeadLetter> deadLetterSink) {
    SingleOutputStreamOperator<SourceChange> changes =
        raw.process(new DecodeRawRecord(serdeConfig))
            .returns(new AvroTypeInfo<>(SourceChange.class))
            .name("decode-debezium-envelope")
            .uid("decode-debezium-envelope");

    SingleOutputStreamOperator<Person> persons =
        changes
            .process(new StandardizePerson(mappings))
            .returns(new AvroTypeInfo<>(Person.class))
            .name("standardize-person")
            .uid("standardize-person");

    // One key, one writer: the store applies a person's changes in source order.
    DataStream<Person> keyed = persons.keyBy(Person::getPersonKey);
    keyed.sinkTo(storeSink).name("ndc-store-person").uid("ndc-store-person");
    keyed.sinkTo(topicSink).name("ndc-topic-person").uid("ndc-topic-person");

    changes
        .getSideOutput(DeadLetters.TAG)
        .union(persons.getSideOutput(DeadLetters.TAG))
        .sinkTo(deadLetterSink)
        .name("dead-letter-topic")
        .uid("dead-letter-topic");
  }

  /** The Kafka source over the raw topics of every mapping, resuming from committed offsets. */
  public static KafkaSource<RawRecord> rawSource(Configuration options, List<String> topics) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS))
        .setTopics(topics)
        .setGroupId(options.get(PersonSyncOptions.CONSUMER_GROUP))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer())
        .setProperty("isolation.level", "read_committed")
        .setProperty("partition.discovery.interval.ms", "10000")
        .build();
  }

  /**
   * Exactly-once Kafka sink for canonical persons: key = person key, deleted persons become
   * tombstones; records become visible to read_committed readers at checkpoint completion.
   */
  public static KafkaSink<Person> personTopicSink(
      Configuration options, Map<String, Object> serdeConfig) {
    return ExactlyOnceKafka.exactlyOnce(
            KafkaSink.<Person>builder()
                .setBootstrapServers(options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setRecordSerializer(
                    new AvroTopicSerialization<>(
                        options.get(PersonSyncOptions.PERSON_TOPIC),
                        serdeConfig,
                        Person::getPersonKey,
                        Person::getDeleted))
                .setProperty("linger.ms", "20"),
            options.get(PersonSyncOptions.TRANSACTIONAL_ID_PREFIX),
            "person")
        .build();
  }

  /** Exactly-once Kafka sink for dead letters, keyed by raw topic/partition/offset. */
  public static KafkaSink<DeadLetter> deadLetterSink(
      Configuration options, Map<String, Object> serdeConfig) {
    return ExactlyOnceKafka.exactlyOnce(
            KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setRecordSerializer(
                    new AvroTopicSerialization<>(
                        options.get(PersonSyncOptions.DEAD_LETTER_TOPIC),
                        serdeConfig,
                        d -> d.getRawTopic() + "/" + d.getRawPartition() + "/" + d.getRawOffset(),
                        d -> false)),
            options.get(PersonSyncOptions.TRANSACTIONAL_ID_PREFIX),
            "dead-letter")
        .build();
  }

  /** The NDC store sink configured from the job options. */
  public static Sink<Person> storeSink(Configuration options) {
    return PersonStoreSink.create(
        options.get(PersonSyncOptions.STORE_JDBC_URL),
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
    return RegistrySerde.confluentWireFormat(options.get(PersonSyncOptions.REGISTRY_URL));
  }

  /** The source stream on an environment, named and with a stable uid. */
  public static DataStream<RawRecord> rawStream(
      org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env,
      KafkaSource<RawRecord> source) {
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "raw-topics").uid("raw-topics");
  }
}
