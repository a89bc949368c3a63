package vn.ndc.sync.deliver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import vn.ndc.sync.typeutils.CompiledAvroCodec;

/**
 * Encodes Avro records in the Confluent wire format (byte 0, 4-byte schema id, Avro binary).
 *
 * <p>Each schema is registered whole under {@code <topic>-key|value} through the registry's
 * Confluent-compatible API once per topic and schema object; after that records are encoded here.
 * Why not the Apicurio serializer: the 3.1 serde calls the registry for every record when
 * auto-registering (Apicurio issue 7395), and it splits nested types into referenced artifacts that
 * reference-unaware Confluent clients cannot resolve.
 */
public final class ConfluentAvroEncoder implements AutoCloseable {

  private final SchemaRegistryClient registry;
  private final boolean isKey;
  private final String subjectCompatibility;
  private final Map<String, IdentityHashMap<Schema, Writer>> writers = new HashMap<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private BinaryEncoder encoder;

  private record Writer(byte[] header, CompiledAvroCodec<IndexedRecord> codec) {}

  /** An encoder for keys ({@code isKey}) or values, registering through {@code serdeConfig}. */
  public ConfluentAvroEncoder(Map<String, ?> serdeConfig, boolean isKey) {
    this(serdeConfig, isKey, null);
  }

  /**
   * An encoder that sets {@code subjectCompatibility} on each subject before its first schema is
   * registered; null keeps the registry's global rule.
   */
  public ConfluentAvroEncoder(
      Map<String, ?> serdeConfig, boolean isKey, String subjectCompatibility) {
    this.registry = SchemaRegistryClient.of(serdeConfig);
    this.isKey = isKey;
    this.subjectCompatibility = subjectCompatibility;
  }

  /**
   * Registers {@code schema} for {@code topic} ahead of the first record, which then encodes
   * without a registry call; {@code specific} records are written with their generated classes.
   */
  public void prepare(String topic, Schema schema, boolean specific) {
    writer(topic, schema, specific);
  }

  /** The wire-format bytes of {@code record} for {@code topic}; null stays null. */
  public byte[] encode(String topic, IndexedRecord record) {
    if (record == null) {
      return null;
    }
    Schema schema = record.getSchema();
    Writer writer = writer(topic, schema, record instanceof SpecificRecord);
    buffer.reset();
    buffer.writeBytes(writer.header());
    encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
    try {
      writer.codec().write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a record of " + schema.getFullName(), e);
    }
    return buffer.toByteArray();
  }

  private Writer writer(String topic, Schema schema, boolean specific) {
    IdentityHashMap<Schema, Writer> topicWriters = writers.get(topic);
    if (topicWriters == null) {
      topicWriters = new IdentityHashMap<>();
      writers.put(topic, topicWriters);
      if (subjectCompatibility != null) {
        registry.setCompatibility(SchemaRegistryClient.subject(topic, isKey), subjectCompatibility);
      }
    }
    Writer writer = topicWriters.get(schema);
    if (writer == null) {
      int id = registry.register(SchemaRegistryClient.subject(topic, isKey), schema);
      writer = newWriter(schema, specific, id);
      topicWriters.put(schema, writer);
    }
    return writer;
  }

  private static Writer newWriter(Schema schema, boolean specific, int id) {
    byte[] header = ByteBuffer.allocate(5).put((byte) 0).putInt(id).array();
    GenericData model = specific ? SpecificData.getForSchema(schema) : GenericData.get();
    return new Writer(header, CompiledAvroCodec.of(schema, model));
  }

  /** The schema id written in the header of wire-format {@code bytes}. */
  public static int schemaId(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  @Override
  public void close() {
    // nothing held open: the HTTP client closes its connections when idle
  }
}
