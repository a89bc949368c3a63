package vn.ndc.sync.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.deliver.RegistrySerde;

/**
 * Counts the dead letters written since it was created, per source agency and per rule, by reading
 * the dead-letter topic (Avro {@code DeadLetter} records in the Confluent wire format).
 */
public final class DeadLetterCounts implements AutoCloseable {

  /** Agency of a dead letter that could not be tied to one (e.g. an undecodable record). */
  public static final String UNKNOWN_AGENCY = "unknown";

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConfluentAvroDecoder decoder;
  private final Map<String, Map<String, Long>> byAgencyAndRule = new TreeMap<>();
  private long total;

  /** Starts at the current end of {@code topic}: only later dead letters are counted. */
  public DeadLetterCounts(String bootstrapServers, String registryUrl, String topic) {
    this.topic = topic;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(config);
    this.decoder = new ConfluentAvroDecoder(RegistrySerde.confluentWireFormat(registryUrl));
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // seekToEnd is lazy: resolve the positions now, before anything new is written.
    partitions.forEach(consumer::position);
  }

  /** Reads what was written since the last call. */
  public void update() {
    while (true) {
      var records = consumer.poll(Duration.ofMillis(100));
      if (records.isEmpty()) {
        return;
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        count(record.value());
      }
    }
  }

  private void count(byte[] value) {
    String agency = UNKNOWN_AGENCY;
    String rule = "undecodable";
    try {
      GenericRecord letter = decoder.decode(topic, value);
      if (letter != null) {
        Object a = letter.get("agency");
        agency = a == null ? UNKNOWN_AGENCY : a.toString();
        rule = String.valueOf(letter.get("rule"));
      }
    } catch (RuntimeException e) {
      // Counted as undecodable: the summary must still add up.
    }
    byAgencyAndRule.computeIfAbsent(agency, k -> new TreeMap<>()).merge(rule, 1L, Long::sum);
    total++;
  }

  /** Dead letters counted so far. */
  public long total() {
    return total;
  }

  /** Dead letters of one agency. */
  public long of(String agency) {
    return byAgencyAndRule.getOrDefault(agency, Map.of()).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /** Per rule, for one agency. */
  public Map<String, Long> byRule(String agency) {
    return new TreeMap<>(byAgencyAndRule.getOrDefault(agency, Map.of()));
  }

  /** Per rule, over every agency. */
  public Map<String, Long> byRule() {
    Map<String, Long> out = new TreeMap<>();
    byAgencyAndRule.values().forEach(m -> m.forEach((rule, n) -> out.merge(rule, n, Long::sum)));
    return out;
  }

  /** Agencies that have dead letters, including {@link #UNKNOWN_AGENCY}. */
  public List<String> agencies() {
    return List.copyOf(byAgencyAndRule.keySet());
  }

  @Override
  public void close() {
    consumer.close();
    decoder.close();
  }
}
