package vn.ndc.sync.standardize;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * A field of a canonical entity a mapping can fill: a top-level field ("fullName") or a field of a
 * nested record ("permanentAddress.streetLine"), resolved against the entity's Avro schema.
 *
 * @param path the name as written in the mapping
 * @param parent the top-level field
 * @param child the nested field, or null for a top-level field
 * @param valueType the Java type a transform must produce for it
 * @param enumType the generated enum class of an enum field (the transform produces its symbol
 *     names), else null
 */
public record CanonicalField(
    String path, String parent, String child, Class<?> valueType, Class<?> enumType)
    implements Serializable {

  /**
   * @throws IllegalArgumentException with the known field names when the path does not exist or
   *     cannot be filled from a source column
   */
  public static CanonicalField resolve(Schema entity, String path) {
    String[] parts = path.split("\\.", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("only one level of nesting is supported");
    }
    Schema.Field top = entity.getField(parts[0]);
    if (top == null) {
      throw new IllegalArgumentException(
          "unknown canonical field; " + entity.getName() + " has " + fieldNames(entity));
    }
    Schema topType = nonNull(top.schema());
    if (parts.length == 1) {
      return of(path, parts[0], null, topType);
    }
    if (topType.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(parts[0] + " is not a record, it has no sub-fields");
    }
    Schema.Field nested = topType.getField(parts[1]);
    if (nested == null) {
      throw new IllegalArgumentException(
          "unknown canonical field; " + topType.getName() + " has " + fieldNames(topType));
    }
    return of(path, parts[0], parts[1], nonNull(nested.schema()));
  }

  private static CanonicalField of(String path, String parent, String child, Schema type) {
    if (type.getLogicalType() instanceof LogicalTypes.Date) {
      return new CanonicalField(path, parent, child, java.time.LocalDate.class, null);
    }
    switch (type.getType()) {
      case STRING:
        return new CanonicalField(path, parent, child, String.class, null);
      case ENUM:
        return new CanonicalField(path, parent, child, String.class, generatedClass(type));
      case RECORD:
        return new CanonicalField(path, parent, child, generatedClass(type), null);
      default:
        throw new IllegalArgumentException(
            "field of type " + type.getType() + " is set by the pipeline, not by a mapping");
    }
  }

  private static Class<?> generatedClass(Schema type) {
    try {
      return Class.forName(type.getFullName());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no generated class for " + type.getFullName(), e);
    }
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL)
        .findFirst()
        .orElse(schema);
  }

  private static List<String> fieldNames(Schema record) {
    return record.getFields().stream().map(Schema.Field::name).toList();
  }

  public boolean isEnum() {
    return enumType != null;
  }

  /** Symbols of an enum field, else empty. */
  public List<String> enumSymbols() {
    if (enumType == null) {
      return List.of();
    }
    return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
  }

  /** The value to store: a code becomes its enum constant, anything else is stored as is. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object toFieldValue(Object value) {
    if (enumType == null || value == null) {
      return value;
    }
    return Enum.valueOf((Class<? extends Enum>) enumType, (String) value);
  }
}
