package vn.ndc.sync.capture;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts Kafka Connect schemas and values (what Debezium emits) to Avro schemas and generic
 * records.
 *
 * <p>Mapping decisions:
 *
 * <ul>
 *   <li>An optional Connect schema becomes the union {@code ["null", T]} with default {@code null},
 *       so adding a nullable column stays backward compatible in the registry.
 *   <li>Structs become named records. The Connect name is split into namespace and name, with
 *       characters Avro does not allow replaced by {@code _}; an unnamed struct is named after the
 *       field that holds it. A record reused inside one schema (Debezium's {@code before} and
 *       {@code after} share {@code Value}) is written once and referenced afterwards.
 *   <li>The three Connect logical types with an exact Avro equivalent map to it: {@code Decimal} to
 *       {@code decimal} on bytes (precision from Debezium's {@code connect.decimal.precision}
 *       parameter, else 64), {@code Date} to {@code date}, {@code Time} to {@code time-millis},
 *       {@code Timestamp} to {@code timestamp-millis}.
 *   <li>Debezium semantic types ({@code io.debezium.time.Date}, {@code MicroTimestamp}, {@code
 *       Timestamp}, {@code ZonedTimestamp}, {@code VariableScaleDecimal}, {@code Json}, ...) keep
 *       their primitive or struct shape and are tagged with a {@code connect.name} property. They
 *       are deliberately not mapped to Avro logical types: {@code io.debezium.time.Timestamp} is a
 *       source local time without a zone, and calling it {@code timestamp-millis} (a UTC instant)
 *       would be wrong; standardization interprets it with the agency's zone. This is also the
 *       shape Confluent's Avro converter gives Debezium data, which downstream tools expect.
 *   <li>Every named Connect schema carries {@code connect.name}, and {@code connect.version} and
 *       {@code connect.parameters} when set; {@code int8}/{@code int16} become Avro {@code int}
 *       with a {@code connect.type} property.
 *   <li>Maps with string keys become Avro maps; other maps become arrays of key/value records.
 * </ul>
 *
 * <p>Schemas are cached by identity of the Connect schema (Debezium reuses one object per table
 * until the table changes), so the per-record cost is the value copy. Instances are thread-safe.
 */
public final class ConnectAvro {

  public static final String CONNECT_NAME = "connect.name";
  public static final String CONNECT_VERSION = "connect.version";
  public static final String CONNECT_PARAMETERS = "connect.parameters";
  public static final String CONNECT_TYPE = "connect.type";

  static final String DECIMAL_PRECISION = "connect.decimal.precision";
  private static final int DEFAULT_DECIMAL_PRECISION = 64;
  private static final int MAX_CACHE = 10_000;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private final Map<IdentityKey, Schema> cache = new ConcurrentHashMap<>();

  /** The Avro schema for {@code connectSchema}, nullable if the Connect schema is optional. */
  public Schema toAvroSchema(org.apache.kafka.connect.data.Schema connectSchema) {
    IdentityKey key = new IdentityKey(connectSchema);
    Schema cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Schema schema = new Builder().convert(connectSchema, "ConnectDefault");
    // Only a producer that builds a fresh Connect schema per record fills this; never Debezium.
    if (cache.size() >= MAX_CACHE) {
      cache.clear();
    }
    cache.put(key, schema);
    return schema;
  }

  /**
   * Converts a Connect value to its Avro form: a {@link GenericData.Record} for a struct, {@code
   * null} for null.
   */
  public Object toAvro(org.apache.kafka.connect.data.Schema connectSchema, Object value) {
    if (connectSchema == null) {
      if (value == null) {
        return null;
      }
      throw new DataException("value of type " + value.getClass().getName() + " has no schema");
    }
    return convertValue(toAvroSchema(connectSchema), connectSchema, value, null, "<root>");
  }

  /** Converts a Connect struct to a generic record. */
  public GenericData.Record toAvroRecord(Struct struct) {
    return (GenericData.Record) toAvro(struct.schema(), struct);
  }

  private Object convertValue(
      Schema avro,
      org.apache.kafka.connect.data.Schema connect,
      Object value,
      FieldPath parent,
      String step) {
    if (value == null) {
      if (connect.isOptional()) {
        return null;
      }
      if (connect.defaultValue() != null) {
        value = connect.defaultValue();
      } else {
        throw new DataException("required field " + FieldPath.of(parent, step) + " is null");
      }
    }
    Schema target = avro.getType() == Schema.Type.UNION ? nonNullBranch(avro) : avro;
    String name = connect.name();
    switch (connect.type()) {
      case INT8:
        return ((Number) value).intValue();
      case INT16:
        return ((Number) value).intValue();
      case INT32:
        if (Date.LOGICAL_NAME.equals(name)) {
          return (int) Math.floorDiv(((java.util.Date) value).getTime(), MILLIS_PER_DAY);
        }
        if (Time.LOGICAL_NAME.equals(name)) {
          return (int) ((java.util.Date) value).getTime();
        }
        return value;
      case INT64:
        if (Timestamp.LOGICAL_NAME.equals(name)) {
          return ((java.util.Date) value).getTime();
        }
        return value;
      case FLOAT32:
      case FLOAT64:
      case BOOLEAN:
      case STRING:
        return value;
      case BYTES:
        if (Decimal.LOGICAL_NAME.equals(name)) {
          return ByteBuffer.wrap(((BigDecimal) value).unscaledValue().toByteArray());
        }
        if (value instanceof byte[]) {
          return ByteBuffer.wrap((byte[]) value);
        }
        return ((ByteBuffer) value).duplicate();
      case ARRAY:
        {
          Collection<?> items = (Collection<?>) value;
          GenericData.Array<Object> array = new GenericData.Array<>(items.size(), target);
          FieldPath here = new FieldPath(parent, step);
          for (Object item : items) {
            array.add(
                convertValue(target.getElementType(), connect.valueSchema(), item, here, "[]"));
          }
          return array;
        }
      case MAP:
        return convertMap(target, connect, (Map<?, ?>) value, new FieldPath(parent, step));
      case STRUCT:
        return convertStruct(target, (Struct) value, new FieldPath(parent, step));
      default:
        throw new DataException(
            "unsupported Connect type " + connect.type() + " at " + FieldPath.of(parent, step));
    }
  }

  private Object convertMap(
      Schema target,
      org.apache.kafka.connect.data.Schema connect,
      Map<?, ?> value,
      FieldPath path) {
    if (target.getType() == Schema.Type.MAP) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : value.entrySet()) {
        map.put(
            (String) e.getKey(),
            convertValue(target.getValueType(), connect.valueSchema(), e.getValue(), path, "{}"));
      }
      return map;
    }
    Schema entry = target.getElementType();
    GenericData.Array<Object> array = new GenericData.Array<>(value.size(), target);
    for (Map.Entry<?, ?> e : value.entrySet()) {
      GenericData.Record r = new GenericData.Record(entry);
      r.put(
          0,
          convertValue(
              entry.getFields().get(0).schema(), connect.keySchema(), e.getKey(), path, "key"));
      r.put(
          1,
          convertValue(
              entry.getFields().get(1).schema(),
              connect.valueSchema(),
              e.getValue(),
              path,
              "value"));
      array.add(r);
    }
    return array;
  }

  private GenericData.Record convertStruct(Schema target, Struct struct, FieldPath path) {
    GenericData.Record record = new GenericData.Record(target);
    List<org.apache.kafka.connect.data.Field> fields = struct.schema().fields();
    List<Field> avroFields = target.getFields();
    // Fields are matched by position because Avro-safe names may differ from column names.
    for (int i = 0; i < fields.size(); i++) {
      org.apache.kafka.connect.data.Field field = fields.get(i);
      record.put(
          i,
          convertValue(
              avroFields.get(i).schema(), field.schema(), struct.get(field), path, field.name()));
    }
    return record;
  }

  /**
   * Where a value sits in the record, for error messages; built up only per nested container
   * because concatenating every field's path cost a string per field of every change.
   */
  private record FieldPath(FieldPath parent, String step) {

    static String of(FieldPath parent, String step) {
      return new FieldPath(parent, step).toString();
    }

    @Override
    public String toString() {
      if (parent == null) {
        return step;
      }
      String before = parent.toString();
      return step.startsWith("[") || step.startsWith("{") ? before + step : before + "." + step;
    }
  }

  private static Schema nonNullBranch(Schema union) {
    for (Schema branch : union.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    throw new DataException("union without a non-null branch: " + union);
  }

  /** Builds one top-level schema; tracks record names so repeats become references. */
  private static final class Builder {

    private final Map<String, org.apache.kafka.connect.data.Schema> connectByName = new HashMap<>();
    private final Map<String, Schema> avroByName = new HashMap<>();

    Schema convert(org.apache.kafka.connect.data.Schema connect, String nameHint) {
      Schema schema = convertRequired(connect, nameHint);
      if (!connect.isOptional()) {
        return schema;
      }
      return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
    }

    private Schema convertRequired(org.apache.kafka.connect.data.Schema connect, String nameHint) {
      String name = connect.name();
      Schema schema;
      switch (connect.type()) {
        case INT8:
          schema = Schema.create(Schema.Type.INT);
          schema.addProp(CONNECT_TYPE, "int8");
          break;
        case INT16:
          schema = Schema.create(Schema.Type.INT);
          schema.addProp(CONNECT_TYPE, "int16");
          break;
        case INT32:
          schema = Schema.create(Schema.Type.INT);
          if (Date.LOGICAL_NAME.equals(name)) {
            LogicalTypes.date().addToSchema(schema);
          } else if (Time.LOGICAL_NAME.equals(name)) {
            LogicalTypes.timeMillis().addToSchema(schema);
          }
          break;
        case INT64:
          schema = Schema.create(Schema.Type.LONG);
          if (Timestamp.LOGICAL_NAME.equals(name)) {
            LogicalTypes.timestampMillis().addToSchema(schema);
          }
          break;
        case FLOAT32:
          schema = Schema.create(Schema.Type.FLOAT);
          break;
        case FLOAT64:
          schema = Schema.create(Schema.Type.DOUBLE);
          break;
        case BOOLEAN:
          schema = Schema.create(Schema.Type.BOOLEAN);
          break;
        case STRING:
          schema = Schema.create(Schema.Type.STRING);
          break;
        case BYTES:
          schema = Schema.create(Schema.Type.BYTES);
          if (Decimal.LOGICAL_NAME.equals(name)) {
            int scale = Integer.parseInt(connect.parameters().get(Decimal.SCALE_FIELD));
            String p = connect.parameters().get(DECIMAL_PRECISION);
            int precision = p == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(p);
            LogicalTypes.decimal(Math.max(precision, Math.max(scale, 1)), scale)
                .addToSchema(schema);
          }
          break;
        case ARRAY:
          schema = Schema.createArray(convert(connect.valueSchema(), nameHint + "_item"));
          break;
        case MAP:
          if (connect.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING
              && !connect.keySchema().isOptional()) {
            schema = Schema.createMap(convert(connect.valueSchema(), nameHint + "_value"));
          } else {
            Schema entry =
                Schema.createRecord(
                    safeSegment(nameHint) + "_entry",
                    null,
                    null,
                    false,
                    List.of(
                        new Field("key", convert(connect.keySchema(), nameHint + "_key")),
                        new Field("value", convert(connect.valueSchema(), nameHint + "_value"))));
            schema = Schema.createArray(entry);
          }
          break;
        case STRUCT:
          return record(connect, nameHint);
        default:
          throw new DataException("unsupported Connect type " + connect.type());
      }
      addConnectProps(schema, connect);
      return schema;
    }

    private Schema record(org.apache.kafka.connect.data.Schema connect, String nameHint) {
      String fullName = safeFullName(connect.name() != null ? connect.name() : nameHint);
      String unique = fullName;
      for (int n = 2; avroByName.containsKey(unique); n++) {
        if (connect.equals(connectByName.get(unique))) {
          return avroByName.get(unique);
        }
        unique = fullName + "_" + n;
      }
      int dot = unique.lastIndexOf('.');
      String namespace = dot < 0 ? null : unique.substring(0, dot);
      Schema record =
          Schema.createRecord(unique.substring(dot + 1), connect.doc(), namespace, false);
      // Registered before the fields so a recursive reference resolves to this record.
      avroByName.put(unique, record);
      connectByName.put(unique, connect);
      List<Field> fields = new ArrayList<>();
      for (org.apache.kafka.connect.data.Field f : connect.fields()) {
        Schema fieldSchema = convert(f.schema(), unique.substring(dot + 1) + "_" + f.name());
        fields.add(new Field(safeSegment(f.name()), fieldSchema, f.schema().doc(), defaultOf(f)));
      }
      record.setFields(fields);
      addConnectProps(record, connect);
      return record;
    }

    /** Avro default: null for optional fields, the Connect default for required primitives. */
    private static Object defaultOf(org.apache.kafka.connect.data.Field f) {
      org.apache.kafka.connect.data.Schema s = f.schema();
      if (s.isOptional()) {
        return JsonProperties.NULL_VALUE;
      }
      Object d = s.defaultValue();
      if (d == null || s.name() != null) {
        // Logical and semantic types carry defaults in Java types Avro cannot render as JSON.
        return null;
      }
      switch (s.type()) {
        case INT8:
        case INT16:
          return ((Number) d).intValue();
        case INT32:
        case INT64:
        case FLOAT32:
        case FLOAT64:
        case BOOLEAN:
        case STRING:
          return d;
        default:
          return null;
      }
    }

    private static void addConnectProps(Schema schema, org.apache.kafka.connect.data.Schema c) {
      if (c.name() != null) {
        schema.addProp(CONNECT_NAME, c.name());
      }
      if (c.version() != null) {
        schema.addProp(CONNECT_VERSION, c.version());
      }
      if (c.parameters() != null && !c.parameters().isEmpty()) {
        schema.addProp(CONNECT_PARAMETERS, new LinkedHashMap<>(c.parameters()));
      }
    }
  }

  static String safeFullName(String name) {
    String[] parts = name.split("\\.", -1);
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(safeSegment(part));
    }
    return out.toString();
  }

  static String safeSegment(String segment) {
    if (segment.isEmpty()) {
      return "_";
    }
    StringBuilder out = new StringBuilder(segment.length() + 1);
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
      out.append(ok ? c : '_');
    }
    if (Character.isDigit(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  /** Cache key comparing Connect schemas by identity: deep equals would cost more than the copy. */
  private static final class IdentityKey {
    private final org.apache.kafka.connect.data.Schema schema;

    IdentityKey(org.apache.kafka.connect.data.Schema schema) {
      this.schema = schema;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey && ((IdentityKey) o).schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }
}
