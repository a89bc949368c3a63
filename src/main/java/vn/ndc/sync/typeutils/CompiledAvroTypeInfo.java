package vn.ndc.sync.typeutils;

import java.util.Objects;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type of a generated Avro record class, serialized by {@link CompiledAvroSerializer}. */
public final class CompiledAvroTypeInfo<T extends SpecificRecordBase> extends TypeInformation<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  /** The type of {@code type}'s records; fails at once when its schema cannot be planned. */
  public CompiledAvroTypeInfo(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
    // Plans the codec now, so an unsupported schema fails while the job is defined.
    CompiledAvroCodec.of(
        SpecificData.getForClass(type).getSchema(type), SpecificData.getForClass(type));
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new CompiledAvroSerializer<>(type);
  }

  @Override
  public String toString() {
    return "CompiledAvro(" + type.getName() + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompiledAvroTypeInfo<?> that && type.equals(that.type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object other) {
    return other instanceof CompiledAvroTypeInfo;
  }
}
