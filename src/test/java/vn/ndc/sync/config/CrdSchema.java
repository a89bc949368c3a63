package vn.ndc.sync.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A version's schema of a CustomResourceDefinition, applied to a manifest as the API server applies
 * a structural schema: a field the schema does not declare (and that no {@code
 * additionalProperties} or {@code x-kubernetes-preserve-unknown-fields} admits) would be pruned, so
 * it is reported, as are values of the wrong type, values outside an enum and missing required
 * fields. For kinds whose operators publish a CRD but no Java model usable here.
 */
final class CrdSchema {

  private final Map<String, Object> root;
  private final Map<String, Set<String>> laterEnumValues;

  private CrdSchema(Map<String, Object> root, Map<String, Set<String>> laterEnumValues) {
    this.root = root;
    this.laterEnumValues = laterEnumValues;
  }

  /**
   * The schema of {@code version} in the CRD at class-path resource {@code resource}.
   *
   * @param laterEnumValues per field path (as {@link #violations} names them, e.g. {@code
   *     spec.flinkVersion}), enum values that operator releases after this CRD's added
   */
  static CrdSchema fromClassPath(
      String resource, String version, Map<String, Set<String>> laterEnumValues) throws Exception {
    Map<String, Object> crd;
    try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no CRD " + resource + " on the class path");
      }
      crd = new ObjectMapper(new YAMLFactory()).readerForMapOf(Object.class).readValue(in);
    }
    List<Map<String, Object>> versions = K8sManifests.at(crd, "spec", "versions");
    for (Map<String, Object> v : versions) {
      if (version.equals(v.get("name"))) {
        return new CrdSchema(
            K8sManifests.at(v, "schema", "openAPIV3Schema"), Map.copyOf(laterEnumValues));
      }
    }
    throw new IllegalStateException(resource + " has no version " + version);
  }

  /** What the API server would prune or refuse in {@code object}, each with its path. */
  List<String> violations(Map<String, Object> object) {
    List<String> out = new ArrayList<>();
    Map<String, Object> properties = K8sManifests.at(root, "properties");
    for (Map.Entry<String, Object> e : object.entrySet()) {
      // apiVersion, kind and metadata are the API server's own, whatever the CRD says of them.
      if (Set.of("apiVersion", "kind", "metadata").contains(e.getKey())) {
        continue;
      }
      check(e.getValue(), schemaOf(properties, e.getKey()), e.getKey(), out);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schemaOf(Map<String, Object> properties, String field) {
    return properties == null ? null : (Map<String, Object>) properties.get(field);
  }

  @SuppressWarnings("unchecked")
  private void check(Object value, Map<String, Object> schema, String path, List<String> out) {
    if (schema == null) {
      out.add(path + ": not in the schema");
      return;
    }
    if (value == null) {
      if (!Boolean.TRUE.equals(schema.get("nullable"))) {
        out.add(path + ": null");
      }
      return;
    }
    if (schema.get("enum") instanceof Collection<?> allowed
        && !allowed.contains(value)
        && !laterEnumValues.getOrDefault(path, Set.of()).contains(String.valueOf(value))) {
      out.add(path + ": " + value + " is not one of " + allowed);
    }
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
      if (!(value instanceof String || isInteger(value))) {
        out.add(path + ": " + value + " is neither an integer nor a string");
      }
      return;
    }
    Object type = schema.get("type");
    if (type == null) {
      return;
    }
    switch (type.toString()) {
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          out.add(path + ": expected an object, got " + value);
          return;
        }
        checkObject((Map<String, Object>) map, schema, path, out);
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          out.add(path + ": expected a list, got " + value);
          return;
        }
        Map<String, Object> items = (Map<String, Object>) schema.get("items");
        for (int i = 0; i < list.size(); i++) {
          check(list.get(i), items, path + "[" + i + "]", out);
        }
      }
      case "string" -> expect(value instanceof String, "a string", value, path, out);
      case "integer" -> expect(isInteger(value), "an integer", value, path, out);
      case "number" -> expect(value instanceof Number, "a number", value, path, out);
      case "boolean" -> expect(value instanceof Boolean, "a boolean", value, path, out);
      default -> out.add(path + ": the schema's type " + type + " is not known to this check");
    }
  }

  @SuppressWarnings("unchecked")
  private void checkObject(
      Map<String, Object> map, Map<String, Object> schema, String path, List<String> out) {
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    Object additional = schema.get("additionalProperties");
    boolean keepsUnknown =
        Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
            || Boolean.TRUE.equals(additional);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String at = path + "." + e.getKey();
      Map<String, Object> field = schemaOf(properties, e.getKey());
      if (field != null) {
        check(e.getValue(), field, at, out);
      } else if (additional instanceof Map<?, ?> values) {
        check(e.getValue(), (Map<String, Object>) values, at, out);
      } else if (!keepsUnknown) {
        out.add(at + ": not in the schema");
      }
    }
    if (schema.get("required") instanceof List<?> required) {
      for (Object name : required) {
        if (!map.containsKey(name)) {
          out.add(path + ": missing required " + name);
        }
      }
    }
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger;
  }

  private static void expect(boolean ok, String what, Object value, String path, List<String> out) {
    if (!ok) {
      out.add(path + ": expected " + what + ", got " + value);
    }
  }
}
