package vn.ndc.sync.typeutils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.Utf8;

/**
 * Avro binary coding of one record schema, planned once: generated (specific) records both ways,
 * generic records for writing.
 *
 * <p>Avro's compiler generates fast coders only for records without logical types; ours carry dates
 * and timestamps, so Flink's {@code AvroSerializer} takes the generic path, which looks up the
 * branch of every nullable field by the value's type name and reads through a resolving parser.
 * This codec decides each field's coding up front: a nullable field is one null check, a logical
 * value one conversion. The bytes are the Avro binary encoding of the schema, the same as Avro's
 * own writer produces on the same {@link Encoder}.
 */
public final class CompiledAvroCodec<T extends IndexedRecord> {

  /** Writes and reads one value of a schema. */
  private interface ValueCodec {
    void write(Object value, Encoder out) throws IOException;

    Object read(Decoder in) throws IOException;
  }

  private final ValueCodec root;

  private CompiledAvroCodec(ValueCodec root) {
    this.root = root;
  }

  /**
   * Plans the coding of {@code schema}. With a {@link SpecificData} model its records are read as
   * their generated classes and logical values converted by the model's conversions; with plain
   * {@link GenericData} records are read as {@link GenericData.Record} and values stay raw, as
   * Avro's generic writer expects them.
   */
  public static <T extends IndexedRecord> CompiledAvroCodec<T> of(Schema schema, GenericData data) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("not a record schema: " + schema.getFullName());
    }
    return new CompiledAvroCodec<>(new Planner(data).plan(schema));
  }

  /** Writes {@code record} to {@code out}. */
  public void write(T record, Encoder out) throws IOException {
    root.write(record, out);
  }

  /** Reads one record from {@code in}. */
  @SuppressWarnings("unchecked")
  public T read(Decoder in) throws IOException {
    return (T) root.read(in);
  }

  /** Builds the value codecs of a schema tree. */
  private static final class Planner {
    private final GenericData data;
    private final Set<String> recordsInProgress = new HashSet<>();

    Planner(GenericData data) {
      this.data = data;
    }

    ValueCodec plan(Schema schema) {
      LogicalType logicalType = schema.getLogicalType();
      if (logicalType != null) {
        Conversion<?> conversion = data.getConversionFor(logicalType);
        if (conversion != null) {
          return logical(schema, logicalType, conversion, raw(schema));
        }
      }
      return raw(schema);
    }

    private ValueCodec raw(Schema schema) {
      switch (schema.getType()) {
        case RECORD:
          return record(schema);
        case ENUM:
          return enumeration(schema);
        case ARRAY:
          return array(plan(schema.getElementType()));
        case MAP:
          return map(plan(schema.getValueType()));
        case UNION:
          return union(schema);
        case FIXED:
          return fixed(schema);
        case STRING:
          return STRING;
        case BYTES:
          return BYTES;
        case INT:
          return INT;
        case LONG:
          return LONG;
        case FLOAT:
          return FLOAT;
        case DOUBLE:
          return DOUBLE;
        case BOOLEAN:
          return BOOLEAN;
        case NULL:
          return NULL;
        default:
          throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
      }
    }

    private ValueCodec record(Schema schema) {
      // Recursive schemas would need lazy planning; none of the dictionary's records is recursive.
      if (!recordsInProgress.add(schema.getFullName())) {
        throw new IllegalArgumentException("recursive record " + schema.getFullName());
      }
      List<Schema.Field> fields = schema.getFields();
      ValueCodec[] codecs = new ValueCodec[fields.size()];
      for (int i = 0; i < codecs.length; i++) {
        codecs[i] = plan(fields.get(i).schema());
      }
      recordsInProgress.remove(schema.getFullName());
      Class<?> type = data instanceof SpecificData specific ? specific.getClass(schema) : null;
      if (type != null && !IndexedRecord.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            "record " + schema.getFullName() + " maps to " + type + ", not a generated record");
      }
      return new RecordCodec(type, schema, codecs);
    }

    private ValueCodec enumeration(Schema schema) {
      List<String> symbols = schema.getEnumSymbols();
      Object[] constants = new Object[symbols.size()];
      for (int i = 0; i < constants.length; i++) {
        constants[i] = data.createEnum(symbols.get(i), schema);
      }
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          // Generated enums declare their constants in symbol order.
          out.writeEnum(
              value instanceof Enum<?> e ? e.ordinal() : schema.getEnumOrdinal(value.toString()));
        }

        @Override
        public Object read(Decoder in) throws IOException {
          return constants[in.readEnum()];
        }
      };
    }

    private ValueCodec union(Schema schema) {
      List<Schema> branches = schema.getTypes();
      ValueCodec[] codecs = new ValueCodec[branches.size()];
      int nullBranch = -1;
      for (int i = 0; i < codecs.length; i++) {
        codecs[i] = plan(branches.get(i));
        if (branches.get(i).getType() == Schema.Type.NULL) {
          nullBranch = i;
        }
      }
      if (codecs.length == 2 && nullBranch >= 0) {
        return nullable(nullBranch, 1 - nullBranch, codecs[1 - nullBranch]);
      }
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          int branch = data.resolveUnion(schema, value);
          out.writeIndex(branch);
          codecs[branch].write(value, out);
        }

        @Override
        public Object read(Decoder in) throws IOException {
          return codecs[in.readIndex()].read(in);
        }
      };
    }

    private static ValueCodec nullable(int nullBranch, int valueBranch, ValueCodec valueCodec) {
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          if (value == null) {
            out.writeIndex(nullBranch);
            out.writeNull();
          } else {
            out.writeIndex(valueBranch);
            valueCodec.write(value, out);
          }
        }

        @Override
        public Object read(Decoder in) throws IOException {
          if (in.readIndex() == nullBranch) {
            in.readNull();
            return null;
          }
          return valueCodec.read(in);
        }
      };
    }

    private ValueCodec fixed(Schema schema) {
      int size = schema.getFixedSize();
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          out.writeFixed(((GenericFixed) value).bytes());
        }

        @Override
        public Object read(Decoder in) throws IOException {
          byte[] bytes = new byte[size];
          in.readFixed(bytes);
          return data.createFixed(null, bytes, schema);
        }
      };
    }

    private static ValueCodec logical(
        Schema schema, LogicalType logicalType, Conversion<?> conversion, ValueCodec raw) {
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          raw.write(Conversions.convertToRawType(value, schema, logicalType, conversion), out);
        }

        @Override
        public Object read(Decoder in) throws IOException {
          return Conversions.convertToLogicalType(raw.read(in), schema, logicalType, conversion);
        }
      };
    }

    private static ValueCodec array(ValueCodec element) {
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          Collection<?> items = (Collection<?>) value;
          out.writeArrayStart();
          out.setItemCount(items.size());
          for (Object item : items) {
            out.startItem();
            element.write(item, out);
          }
          out.writeArrayEnd();
        }

        @Override
        public Object read(Decoder in) throws IOException {
          long count = in.readArrayStart();
          List<Object> items = new ArrayList<>((int) Math.min(count, 1024));
          while (count > 0) {
            for (long i = 0; i < count; i++) {
              items.add(element.read(in));
            }
            count = in.arrayNext();
          }
          return items;
        }
      };
    }

    private static ValueCodec map(ValueCodec valueCodec) {
      return new ValueCodec() {
        @Override
        public void write(Object value, Encoder out) throws IOException {
          Map<?, ?> entries = (Map<?, ?>) value;
          out.writeMapStart();
          out.setItemCount(entries.size());
          for (Map.Entry<?, ?> entry : entries.entrySet()) {
            out.startItem();
            STRING.write(entry.getKey(), out);
            valueCodec.write(entry.getValue(), out);
          }
          out.writeMapEnd();
        }

        @Override
        public Object read(Decoder in) throws IOException {
          long count = in.readMapStart();
          Map<String, Object> entries = new HashMap<>();
          while (count > 0) {
            for (long i = 0; i < count; i++) {
              String key = in.readString();
              entries.put(key, valueCodec.read(in));
            }
            count = in.mapNext();
          }
          return entries;
        }
      };
    }
  }

  /**
   * A generated record: its fields in schema order, created through its no-argument constructor.
   */
  private static final class RecordCodec implements ValueCodec {
    private final Class<?> type;
    private final Schema schema;
    private final ValueCodec[] fields;

    RecordCodec(Class<?> type, Schema schema, ValueCodec[] fields) {
      this.type = type;
      this.schema = schema;
      this.fields = fields;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      IndexedRecord record = (IndexedRecord) value;
      for (int i = 0; i < fields.length; i++) {
        fields[i].write(record.get(i), out);
      }
    }

    @Override
    public Object read(Decoder in) throws IOException {
      IndexedRecord record =
          type != null
              ? (IndexedRecord) SpecificData.newInstance(type, schema)
              : new GenericData.Record(schema);
      for (int i = 0; i < fields.length; i++) {
        record.put(i, fields[i].read(in));
      }
      return record;
    }
  }

  /** Writes one value. */
  @FunctionalInterface
  private interface ValueWriter {
    void write(Object value, Encoder out) throws IOException;
  }

  /** Reads one value. */
  @FunctionalInterface
  private interface ValueReader {
    Object read(Decoder in) throws IOException;
  }

  private static ValueCodec codec(ValueWriter writer, ValueReader reader) {
    return new ValueCodec() {
      @Override
      public void write(Object value, Encoder out) throws IOException {
        writer.write(value, out);
      }

      @Override
      public Object read(Decoder in) throws IOException {
        return reader.read(in);
      }
    };
  }

  private static final ValueCodec STRING =
      codec(
          (value, out) -> {
            if (value instanceof Utf8 utf8) {
              out.writeString(utf8);
            } else {
              out.writeString(value.toString());
            }
          },
          Decoder::readString);

  private static final ValueCodec BYTES =
      codec((value, out) -> out.writeBytes((ByteBuffer) value), in -> in.readBytes(null));

  // Avro's own writer accepts any Number for the numeric types, so this one does too.
  private static final ValueCodec INT =
      codec((value, out) -> out.writeInt(((Number) value).intValue()), Decoder::readInt);

  private static final ValueCodec LONG =
      codec((value, out) -> out.writeLong(((Number) value).longValue()), Decoder::readLong);

  private static final ValueCodec FLOAT =
      codec((value, out) -> out.writeFloat(((Number) value).floatValue()), Decoder::readFloat);

  private static final ValueCodec DOUBLE =
      codec((value, out) -> out.writeDouble(((Number) value).doubleValue()), Decoder::readDouble);

  private static final ValueCodec BOOLEAN =
      codec((value, out) -> out.writeBoolean((Boolean) value), Decoder::readBoolean);

  private static final ValueCodec NULL =
      codec(
          (value, out) -> out.writeNull(),
          in -> {
            in.readNull();
            return null;
          });
}
