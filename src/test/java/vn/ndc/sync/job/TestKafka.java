package vn.ndc.sync.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.RawRecord;

/** Plain Kafka clients and records for the tests of the job's Kafka security. */
final class TestKafka {

  private TestKafka() {}

  /**
   * Subscribes to {@code topic} with {@code config} and polls until {@code expected} records came
   * or {@code timeout} passed; a refusal by the broker is thrown as the client throws it.
   */
  static List<ConsumerRecord<byte[], byte[]>> read(
      Map<String, Object> config, String topic, int expected, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  /** A producer on a broker's plain listener (a super user where the broker enforces ACLs). */
  static KafkaProducer<byte[], byte[]> plainProducer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrapServers),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** A dead letter for raw record {@code r}, as test {@code job} writes it. */
  static DeadLetter deadLetterOf(RawRecord r, String job) {
    return DeadLetter.newBuilder()
        .setJob(job)
        .setRule("test." + job)
        .setMessage("written by " + job)
        .setRawTopic(r.getTopic())
        .setRawPartition(r.getPartition())
        .setRawOffset(r.getOffset())
        .setFailedAt(Instant.now())
        .build();
  }
}
