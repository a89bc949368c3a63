package vn.ndc.sync.deliver;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import vn.ndc.sync.avro.AnalystPerson;
import vn.ndc.sync.avro.Person;

/**
 * Writes merged persons to the analysts' topic as {@link AnalystPerson}: the sensitive fields
 * dropped, keyed by the pseudonym of the personal ID under the store's secret, read when the writer
 * opens; a deleted person becomes a tombstone of its pseudonym, as on {@code ndc.person}.
 */
public final class AnalystTopicSerialization implements KafkaRecordSerializationSchema<Person> {

  private static final long serialVersionUID = 1L;

  private final PersonStoreSink.Settings store;
  private final String topicName;
  private final AvroTopicSerialization<AnalystPerson> topic;
  private transient Pseudonyms pseudonyms;

  public AnalystTopicSerialization(
      String topic, Map<String, Object> serdeConfig, PersonStoreSink.Settings store) {
    this.store = store;
    this.topic =
        new AvroTopicSerialization<>(
            AnalystPerson.class, topic, serdeConfig, AnalystPerson::getPersonRef, a -> false);
    this.topicName = topic;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
      throws Exception {
    pseudonyms = Pseudonyms.ofStore(store);
    topic.open(context, sinkContext);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Person person, KafkaSinkContext context, Long timestamp) {
    if (person.getDeleted()) {
      return tombstone(topicName, person, pseudonyms, timestamp);
    }
    return topic.serialize(analystView(person, pseudonyms), context, timestamp);
  }

  static ProducerRecord<byte[], byte[]> tombstone(
      String topic, Person person, Pseudonyms pseudonyms, Long timestamp) {
    byte[] key = pseudonyms.of(person.getPersonKey()).getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<byte[], byte[]>(topic, null, timestamp, key, null);
  }

  /** What an analyst may see of {@code person}. */
  static AnalystPerson analystView(Person person, Pseudonyms pseudonyms) {
    return AnalystPerson.newBuilder()
        .setPersonRef(pseudonyms.of(person.getPersonKey()))
        .setFullName(person.getFullName())
        .setDateOfBirth(person.getDateOfBirth())
        .setSex(person.getSex())
        .setNationality(person.getNationality())
        .setPhone(person.getPhone())
        .setPermanentAddress(person.getPermanentAddress())
        .setCurrentAddress(person.getCurrentAddress())
        .setLineage(person.getLineage())
        .setMatchMethod(person.getMatchMethod())
        .setSources(person.getSources())
        .build();
  }
}
