package vn.ndc.sync.deliver;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes Avro records in the Confluent wire format (byte 0, 4-byte schema id, Avro binary).
 *
 * <p>The Apicurio serializer registers each schema and yields its id once per topic and schema;
 * after that records are encoded here. Why: the 3.1 serde calls the registry for every record
 * when auto-registering (Apicurio issue 7395), which capped capture at a few dozen records per
 * second, and the fixed serde is not on Maven Central.
 */
public final class ConfluentAvroEncoder implements AutoCloseable {

  private final AvroKafkaSerializer<Object> registering = new AvroKafkaSerializer<>();
  private final Map<String, IdentityHashMap<Schema, Writer>> writers = new HashMap<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private BinaryEncoder encoder;

  private record Writer(byte[] header, DatumWriter<Object> datumWriter) {}

  /** An encoder for keys ({@code isKey}) or values, registering through {@code serdeConfig}. */
  public ConfluentAvroEncoder(Map<String, ?> serdeConfig, boolean isKey) {
    registering.configure(serdeConfig, isKey);
  }

  /** The wire-format bytes of {@code record} for {@code topic}; null stays null. */
  public byte[] encode(String topic, GenericContainer record) {
    if (record == null) {
      return null;
    }
    Schema schema = record.getSchema();
    Writer writer = writers.computeIfAbsent(topic, t -> new IdentityHashMap<>()).get(schema);
    if (writer == null) {
      byte[] first = registering.serialize(topic, record);
      writers.get(topic).put(schema, newWriter(schema, record, first));
      return first;
    }
    buffer.reset();
    buffer.writeBytes(writer.header());
    encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
    try {
      writer.datumWriter().write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a record of " + schema.getFullName(), e);
    }
    return buffer.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static Writer newWriter(Schema schema, GenericContainer sample, byte[] registered) {
    if (registered.length < 5 || registered[0] != 0) {
      throw new IllegalStateException(
          "the registry serializer did not produce the Confluent wire format; check"
              + " apicurio.registry.headers.enabled=false and the 4-byte id handler");
    }
    byte[] header = new byte[5];
    System.arraycopy(registered, 0, header, 0, 5);
    DatumWriter<?> datumWriter =
        sample instanceof SpecificRecord
            ? new SpecificDatumWriter<>(schema)
            : new GenericDatumWriter<>(schema);
    return new Writer(header, (DatumWriter<Object>) datumWriter);
  }

  /** The schema id written in the header of wire-format {@code bytes}. */
  public static int schemaId(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  @Override
  public void close() {
    registering.close();
  }
}
