package vn.ndc.sync.typeutils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;

/**
 * What a checkpoint keeps of a {@link CompiledAvroSerializer}: the record class and the schema its
 * state was written with, so a job with a changed schema reads the old state by Avro's rules.
 */
public final class CompiledAvroSerializerSnapshot<T extends SpecificRecordBase>
    implements TypeSerializerSnapshot<T> {

  private static final int VERSION = 1;

  private Class<T> type;
  private String schema;

  /** For Flink, which reads the fields with {@link #readSnapshot}. */
  public CompiledAvroSerializerSnapshot() {}

  CompiledAvroSerializerSnapshot(Class<T> type, String schema) {
    this.type = type;
    this.schema = schema;
  }

  @Override
  public int getCurrentVersion() {
    return VERSION;
  }

  @Override
  public void writeSnapshot(DataOutputView out) throws IOException {
    out.writeUTF(type.getName());
    // writeUTF stops at 64 KiB; a schema with its docs can be longer.
    byte[] text = schema.getBytes(StandardCharsets.UTF_8);
    out.writeInt(text.length);
    out.write(text);
  }

  @Override
  public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
      throws IOException {
    if (readVersion != VERSION) {
      throw new IOException("unknown CompiledAvroSerializer snapshot version " + readVersion);
    }
    String className = in.readUTF();
    try {
      @SuppressWarnings("unchecked")
      Class<T> restored = (Class<T>) Class.forName(className, false, classLoader);
      type = restored;
    } catch (ClassNotFoundException e) {
      throw new IOException(
          "record class " + className + " of the state is not on the classpath", e);
    }
    byte[] text = new byte[in.readInt()];
    in.readFully(text);
    schema = new String(text, StandardCharsets.UTF_8);
  }

  @Override
  public TypeSerializer<T> restoreSerializer() {
    return new CompiledAvroSerializer<>(type, schema);
  }

  @Override
  public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
      TypeSerializerSnapshot<T> oldSnapshot) {
    if (oldSnapshot instanceof AvroSerializerSnapshot) {
      // State from before this serializer: Flink's Avro serializer reads it, this one rewrites it.
      return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
    if (!(oldSnapshot instanceof CompiledAvroSerializerSnapshot<T> old)
        || !old.type.getName().equals(type.getName())) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    Schema writer = new Schema.Parser().parse(old.schema);
    Schema reader = new Schema.Parser().parse(schema);
    if (writer.equals(reader)) {
      return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
    boolean readable =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
            == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    return readable
        ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
        : TypeSerializerSchemaCompatibility.incompatible();
  }
}
