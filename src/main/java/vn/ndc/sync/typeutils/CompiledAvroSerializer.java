package vn.ndc.sync.typeutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.utils.DataInputDecoder;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;

/**
 * Flink serializer of a generated Avro record class through a {@link CompiledAvroCodec}.
 *
 * <p>It writes the same bytes as Flink's {@code AvroSerializer} (Avro binary on Flink's {@link
 * DataOutputEncoder}). State written under an older schema of the class is read with Avro's schema
 * resolution (the writer's schema comes from the state's serializer snapshot).
 */
public final class CompiledAvroSerializer<T extends SpecificRecordBase> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  /** The schema the serialized bytes were written with, when it is not the class's own. */
  private final String writerSchema;

  private transient Schema schema;
  private transient CompiledAvroCodec<T> codec;
  private transient SpecificDatumReader<T> resolvingReader;
  private transient DataOutputEncoder encoder;
  private transient DataInputDecoder decoder;
  private transient DataOutputSerializer copyBuffer;
  private transient DataInputDeserializer copyInput;

  /** A serializer of {@code type} under the schema it was generated with. */
  public CompiledAvroSerializer(Class<T> type) {
    this(type, null);
  }

  /** A serializer that reads bytes written under {@code writerSchema} (null: the class's own). */
  CompiledAvroSerializer(Class<T> type, String writerSchema) {
    this.type = Objects.requireNonNull(type, "type");
    // The class's own schema is kept as null, so a restored serializer equals a new one.
    this.writerSchema =
        writerSchema == null || writerSchema.equals(schema().toString()) ? null : writerSchema;
  }

  Schema schema() {
    if (schema == null) {
      schema = SpecificData.getForClass(type).getSchema(type);
    }
    return schema;
  }

  private CompiledAvroCodec<T> codec() {
    if (codec == null) {
      codec = CompiledAvroCodec.of(schema(), SpecificData.getForClass(type));
      encoder = new DataOutputEncoder();
      decoder = new DataInputDecoder();
      Schema writer = writerSchema == null ? null : new Schema.Parser().parse(writerSchema);
      if (writer != null && !writer.equals(schema())) {
        resolvingReader =
            new SpecificDatumReader<>(writer, schema(), SpecificData.getForClass(type));
      }
    }
    return codec;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    // The encoder and decoder hold the current stream, so every thread needs its own.
    return new CompiledAvroSerializer<>(type, writerSchema);
  }

  @Override
  public T createInstance() {
    return type.cast(SpecificData.newInstance(type, schema()));
  }

  @Override
  public T copy(T from) {
    if (from == null) {
      return null;
    }
    // A round trip through the codec is cheaper than Avro's generic deep copy, and gives the
    // same collection types as a deserialized record.
    if (copyBuffer == null) {
      copyBuffer = new DataOutputSerializer(512);
      copyInput = new DataInputDeserializer();
    }
    try {
      copyBuffer.clear();
      CompiledAvroCodec<T> planned = codec();
      encoder.setOut(copyBuffer);
      planned.write(from, encoder);
      copyInput.setBuffer(copyBuffer.getSharedBuffer(), 0, copyBuffer.length());
      decoder.setIn(copyInput);
      return planned.read(decoder);
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy a " + type.getSimpleName(), e);
    }
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    CompiledAvroCodec<T> planned = codec();
    encoder.setOut(target);
    planned.write(record, encoder);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    CompiledAvroCodec<T> planned = codec();
    decoder.setIn(source);
    return resolvingReader != null ? resolvingReader.read(null, decoder) : planned.read(decoder);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new CompiledAvroSerializerSnapshot<>(type, schema().toString());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompiledAvroSerializer<?> that
        && type.equals(that.type)
        && Objects.equals(writerSchema, that.writerSchema);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "CompiledAvroSerializer(" + type.getName() + ")";
  }
}
