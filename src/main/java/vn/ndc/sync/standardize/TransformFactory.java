package vn.ndc.sync.standardize;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builds a {@link ValueTransform} from its name and options in a mapping file. */
final class TransformFactory {

  /** Transform name → the options it accepts besides column and transform. */
  static final Map<String, Set<String>> OPTIONS =
      Map.of(
          "text", Set.of(),
          "person-name", Set.of(),
          "date", Set.of("formats", "timezone"),
          "code", Set.of("codes", "default"),
          "personal-id", Set.of(),
          "former-id", Set.of(),
          "phone", Set.of(),
          "address", Set.of("unresolved", "province"),
          "province", Set.of(),
          "commune-code", Set.of());

  /** Keys of a field line that are not transform options. */
  static final Set<String> FIELD_KEYS = Set.of("column", "transform", "ifAbsent");

  private TransformFactory() {}

  /**
   * @param options the field's YAML node
   * @throws IllegalArgumentException naming the offending option and the fix
   */
  static ValueTransform create(String name, JsonNode options, ZoneId mappingZone) {
    Set<String> allowed = OPTIONS.get(name);
    if (allowed == null) {
      throw new IllegalArgumentException(
          "unknown transform '" + name + "'; use one of " + new TreeSet<>(OPTIONS.keySet()));
    }
    for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
      String option = it.next();
      if (!FIELD_KEYS.contains(option) && !allowed.contains(option)) {
        throw new IllegalArgumentException(
            "unknown option '"
                + option
                + "' for transform "
                + name
                + "; it accepts "
                + (allowed.isEmpty() ? "no options" : new TreeSet<>(allowed)));
      }
    }
    return switch (name) {
      case "text" -> new TextTransform();
      case "person-name" -> new PersonNameTransform();
      case "date" -> new DateTransform(formats(options), zone(options, mappingZone));
      case "code" -> new CodeTransform(codes(options), optionalText(options, "default"));
      case "personal-id" -> new PersonalIdTransform();
      case "former-id" -> new FormerIdTransform();
      case "phone" -> new PhoneTransform();
      case "address" ->
          new AddressTransform(rejectUnresolved(options), optionalText(options, "province"));
      case "province" -> new ProvinceTransform();
      case "commune-code" -> new CommuneCodeTransform();
      default -> throw new IllegalStateException("transform without a factory: " + name);
    };
  }

  private static List<String> formats(JsonNode options) {
    JsonNode formats = options.get("formats");
    List<String> patterns = new ArrayList<>();
    if (formats == null || formats.isNull()) {
      return patterns;
    }
    if (!formats.isArray()) {
      throw new IllegalArgumentException(
          "formats must be a list, e.g. formats: [\"dd/MM/yyyy\", \"yyyy-MM-dd\"]");
    }
    for (JsonNode format : formats) {
      if (!format.isTextual() || format.asText().isBlank()) {
        throw new IllegalArgumentException("formats must hold date patterns as quoted text");
      }
      patterns.add(format.asText());
    }
    return patterns;
  }

  private static boolean rejectUnresolved(JsonNode options) {
    String unresolved = optionalText(options, "unresolved");
    if (unresolved == null || unresolved.equals("keep")) {
      return false;
    }
    if (unresolved.equals("reject")) {
      return true;
    }
    throw new IllegalArgumentException(
        "unresolved must be keep (leave the commune code empty) or reject, not '"
            + unresolved
            + "'");
  }

  private static ZoneId zone(JsonNode options, ZoneId mappingZone) {
    String zone = optionalText(options, "timezone");
    return zone == null ? mappingZone : parseZone(zone);
  }

  static ZoneId parseZone(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "timezone '" + zone + "' is not a time zone id; use e.g. Asia/Ho_Chi_Minh", e);
    }
  }

  private static Map<String, String> codes(JsonNode options) {
    JsonNode codes = options.get("codes");
    if (codes == null || !codes.isObject() || codes.isEmpty()) {
      throw new IllegalArgumentException(
          "transform code needs codes: {source value: code, ...}, e.g. codes: {\"Nam\": MALE}");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = codes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      result.put(entry.getKey(), scalarText(entry.getValue(), "codes." + entry.getKey()));
    }
    return result;
  }

  private static String optionalText(JsonNode options, String key) {
    JsonNode value = options.get(key);
    return value == null || value.isNull() ? null : scalarText(value, key);
  }

  private static String scalarText(JsonNode value, String key) {
    if (value.isBoolean()) {
      // YAML turns some bare words into booleans; codes such as NO (Norway) must be quoted.
      throw new IllegalArgumentException(key + " was read as a boolean; quote the value");
    }
    if (!value.isValueNode() || value.isNull()) {
      throw new IllegalArgumentException(key + " must be a single value");
    }
    return value.asText();
  }
}
