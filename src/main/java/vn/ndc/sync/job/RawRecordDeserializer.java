package vn.ndc.sync.job;

import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/** Wraps each Kafka record undecoded, so decoding failures can be dead-lettered downstream. */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    out.collect(
        RawRecord.newBuilder()
            .setTopic(record.topic())
            .setPartition(record.partition())
            .setOffset(record.offset())
            .setTimestamp(record.timestamp())
            .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
            .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
            .build());
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return new CompiledAvroTypeInfo<>(RawRecord.class);
  }
}
