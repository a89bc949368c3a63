package vn.ndc.sync.deliver;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Confluent wire-format Avro (byte 0, 4-byte schema id, Avro binary) into generic
 * records.
 *
 * <p>The Apicurio deserializer fetches each writer schema once; after that records are read here
 * with a reader cached per schema id. Why: the 3.1 deserializer recomputes the schema's parsing
 * fingerprint for every record, which dominated the decode step's CPU on Debezium envelopes.
 */
public final class ConfluentAvroDecoder implements AutoCloseable {

  private final AvroKafkaDeserializer<GenericRecord> resolving = new AvroKafkaDeserializer<>();
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
  private BinaryDecoder decoder;

  /** A decoder for values ({@code isKey} false) or keys, resolving schemas through {@code serdeConfig}. */
  public ConfluentAvroDecoder(Map<String, ?> serdeConfig, boolean isKey) {
    resolving.configure(serdeConfig, isKey);
  }

  /**
   * The record in {@code bytes}, read from {@code topic}.
   *
   * @throws IllegalArgumentException when the bytes are not in the Confluent wire format
   */
  public GenericRecord decode(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < 5 || bytes[0] != 0) {
      throw new IllegalArgumentException(
          "not in the Confluent wire format (expected magic byte 0 and a 4-byte schema id, got "
              + bytes.length
              + " bytes starting with "
              + (bytes.length == 0 ? "nothing" : String.valueOf(bytes[0]))
              + ")");
    }
    int id = ConfluentAvroEncoder.schemaId(bytes);
    GenericDatumReader<GenericRecord> reader = readers.get(id);
    if (reader == null) {
      GenericRecord first = resolving.deserialize(topic, bytes);
      readers.put(id, new GenericDatumReader<>(first.getSchema()));
      return first;
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "bytes do not match schema " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    resolving.close();
  }
}
