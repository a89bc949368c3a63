package vn.ndc.sync.deliver;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Avro records to one topic in the Confluent wire format, keyed by a UTF-8 string; a record
 * the tombstone test accepts is written as a null value, so compaction removes its key.
 */
public final class AvroTopicSerialization<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String topic;
  private final Map<String, Object> serdeConfig;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, Boolean> tombstone;
  private transient ConfluentAvroEncoder encoder;

  public AvroTopicSerialization(
      Class<T> type,
      String topic,
      Map<String, Object> serdeConfig,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Boolean> tombstone) {
    this.type = type;
    this.topic = topic;
    this.serdeConfig = Map.copyOf(serdeConfig);
    this.key = key;
    this.tombstone = tombstone;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    encoder = new ConfluentAvroEncoder(serdeConfig, false);
    // The schema is known before any record: registered here, while the task deploys, the first
    // record does not wait for the registry (seconds on a busy machine).
    encoder.prepare(topic, SpecificData.get().getSchema(type), true);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long ts) {
    String k = key.apply(element);
    byte[] keyBytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
    byte[] value =
        tombstone.apply(element)
            ? null
            : encoder.encode(topic, (org.apache.avro.generic.IndexedRecord) element);
    return new ProducerRecord<>(topic, null, ts, keyBytes, value);
  }
}
