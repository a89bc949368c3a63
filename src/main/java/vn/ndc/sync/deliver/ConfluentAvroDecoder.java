package vn.ndc.sync.deliver;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Confluent wire-format Avro (byte 0, 4-byte schema id, Avro binary) into generic records.
 *
 * <p>Each writer schema is fetched once by id from the registry's Confluent-compatible API; after
 * that records are read with a reader cached per id. Why not the Apicurio deserializer: the 3.1
 * deserializer recomputes the schema's parsing fingerprint for every record, which dominated the
 * decode step's CPU on Debezium envelopes.
 */
public final class ConfluentAvroDecoder implements AutoCloseable {

  private final SchemaRegistryClient registry;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
  private BinaryDecoder decoder;

  /** A decoder resolving schemas through the registry named in {@code serdeConfig}. */
  public ConfluentAvroDecoder(Map<String, ?> serdeConfig) {
    this.registry = SchemaRegistryClient.of(serdeConfig);
  }

  /**
   * The record in {@code bytes}, read from {@code topic}.
   *
   * @throws IllegalArgumentException when the bytes are not in the Confluent wire format, name a
   *     schema id the registry does not have, or do not match their schema
   * @throws IllegalStateException when the registry cannot be asked for the schema (unreachable
   *     past its retry window, or refusing this client): the bytes may well be good
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
      reader = new GenericDatumReader<>(writerSchema(id));
      readers.put(id, reader);
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "bytes do not match schema " + id + ": " + e.getMessage(), e);
    }
  }

  private org.apache.avro.Schema writerSchema(int id) {
    try {
      return registry.schemaById(id);
    } catch (SchemaRegistryClient.Refused e) {
      if (e.status() == 404) {
        // No cause chained: the dead letter's message is the root cause's, and this says it.
        throw new IllegalArgumentException(
            "schema id " + id + " is not in the registry (" + e.getMessage() + ")");
      }
      throw e;
    } catch (org.apache.avro.SchemaParseException e) {
      throw new IllegalArgumentException(
          "schema id " + id + " does not parse: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    // nothing held open: the HTTP client closes its connections when idle
  }
}
