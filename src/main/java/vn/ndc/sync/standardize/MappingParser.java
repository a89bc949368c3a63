package vn.ndc.sync.standardize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import vn.ndc.sync.config.ConfigException;

/** Parses and validates mapping YAML, failing on the first problem with its key path and fix. */
final class MappingParser {
  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("version", "entity", "table", "timezone", "fields", "rules");
  private static final Set<String> RULE_KEYS = Set.of("required");
  private static final Set<String> SET_BY_PIPELINE = Set.of("personKey", "deleted", "lineage");
  private static final String DEFAULT_ZONE = "Asia/Ho_Chi_Minh";
  private static final YAMLMapper YAML = yamlMapper();

  private final String agency;
  private final String origin;

  MappingParser(String agency, String origin) {
    this.agency = agency;
    this.origin = origin;
  }

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    // A repeated field key would otherwise silently replace the first mapping.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  EntityMapping parse(String yaml) {
    JsonNode root = readTree(yaml);
    if (root == null || !root.isObject()) {
      throw fail(
          "the file must be a YAML mapping with version, entity, table and fields; see"
              + " connectors/civil-registry/mapping.yaml");
    }
    checkKeys(root, TOP_LEVEL_KEYS, "");
    String version = version(root.get("version"));
    String entity = requiredText(root, "entity", "the canonical entity, e.g. entity: Person");
    Schema schema = EntityMapping.entitySchema(entity);
    if (schema == null) {
      throw fail("entity: unknown canonical entity '" + entity + "'; supported: Person, Citizen");
    }
    String table = requiredText(root, "table", "the source table, e.g. table: public.nhan_khau");
    ZoneId zone = zone(root.get("timezone"));
    List<FieldMapping> fields = fields(root.get("fields"), schema, zone);
    List<String> required = required(root.get("rules"), fields);
    checkAbsentNotRequired(fields, required);
    return new EntityMapping(agency, origin, entity, table, version, zone, fields, required);
  }

  private JsonNode readTree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          origin + ": YAML syntax error" + describe(e) + ". Fix the YAML syntax there.", e);
    }
  }

  // SnakeYAML's own problem text says what is wrong ("expected ',' or '}'"); Jackson's first
  // message line only says what it was parsing.
  private static String describe(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark at = yaml.getProblemMark();
      String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
      return " at line "
          + (at.getLine() + 1)
          + ", column "
          + (at.getColumn() + 1)
          + ": "
          + context
          + yaml.getProblem();
    }
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return where + ": " + e.getOriginalMessage().lines().findFirst().orElse("").strip();
  }

  private String version(JsonNode node) {
    if (node == null || node.isNull()) {
      throw fail("version: missing; add the mapping version, e.g. version: 1");
    }
    if (node.isFloatingPointNumber()) {
      // YAML reads 1.10 as the number 1.1: the version would silently change.
      throw fail(
          "version: '"
              + node.asText()
              + "' was read as a number; quote it, e.g. version: \"1.10\"");
    }
    if (!node.isValueNode() || node.asText().isBlank()) {
      throw fail("version: must be a number or text, e.g. version: 1");
    }
    return node.asText();
  }

  private ZoneId zone(JsonNode node) {
    String zone = node == null || node.isNull() ? DEFAULT_ZONE : node.asText();
    try {
      return TransformFactory.parseZone(zone);
    } catch (IllegalArgumentException e) {
      throw fail("timezone: " + e.getMessage());
    }
  }

  private List<FieldMapping> fields(JsonNode node, Schema schema, ZoneId zone) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw fail(
          "fields: missing or empty; map canonical fields to columns, e.g. fields: {fullName:"
              + " {column: ho_ten, transform: person-name}}");
    }
    List<FieldMapping> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      fields.add(field(entry.getKey(), entry.getValue(), schema, zone));
    }
    return fields;
  }

  private FieldMapping field(String path, JsonNode spec, Schema schema, ZoneId zone) {
    String key = "fields." + path;
    if (SET_BY_PIPELINE.contains(path.split("\\.")[0])) {
      throw fail(key + ": " + path + " is set by the pipeline, not by a mapping; remove it");
    }
    CanonicalField field;
    try {
      field = CanonicalField.resolve(schema, path);
    } catch (IllegalArgumentException e) {
      throw fail(key + ": " + e.getMessage() + ". Fix the canonical field name.");
    }
    if (spec == null || !spec.isObject()) {
      throw fail(key + ": must be {column: <source column>, transform: <transform>, ...}");
    }
    String column = requiredText(spec, "column", null, key + ".column");
    String transformName = requiredText(spec, "transform", null, key + ".transform");
    ValueTransform transform;
    try {
      transform = TransformFactory.create(transformName, spec, zone);
    } catch (IllegalArgumentException e) {
      throw fail(key + ": " + e.getMessage());
    }
    checkCompatible(key, field, transformName, transform);
    return new FieldMapping(field, column, transformName, transform, emptyIfAbsent(spec, key));
  }

  private boolean emptyIfAbsent(JsonNode spec, String key) {
    JsonNode node = spec.get("ifAbsent");
    if (node == null || node.isNull() || node.asText().equals("reject")) {
      return false;
    }
    if (node.asText().equals("empty")) {
      return true;
    }
    throw fail(
        key
            + ".ifAbsent: '"
            + node.asText()
            + "' is not allowed; use reject (a row without the column is dead-lettered, the"
            + " default) or empty (the field stays empty, for a column the agency adds later)");
  }

  private void checkCompatible(
      String key, CanonicalField field, String transformName, ValueTransform transform) {
    if (!field.valueType().equals(transform.outputType())) {
      throw fail(
          key
              + ": transform "
              + transformName
              + " produces "
              + transform.outputType().getSimpleName()
              + " but "
              + field.path()
              + " holds "
              + field.valueType().getSimpleName()
              + "; choose a transform that produces "
              + field.valueType().getSimpleName());
    }
    if (field.isEnum()) {
      if (!(transform instanceof CodeTransform codes)) {
        throw fail(
            key
                + ": "
                + field.path()
                + " takes one of "
                + field.enumSymbols()
                + "; use transform: code with codes mapping source values to them");
      }
      for (String code : codes.targetCodes()) {
        if (!field.enumSymbols().contains(code)) {
          throw fail(
              key
                  + ": code '"
                  + code
                  + "' is not a value of "
                  + field.path()
                  + "; use one of "
                  + field.enumSymbols());
        }
      }
    }
  }

  private List<String> required(JsonNode rules, List<FieldMapping> fields) {
    if (rules == null || rules.isNull()) {
      return List.of();
    }
    if (!rules.isObject()) {
      throw fail("rules: must be a mapping, e.g. rules: {required: [personalId]}");
    }
    checkKeys(rules, RULE_KEYS, "rules.");
    JsonNode list = rules.get("required");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw fail("rules.required: must be a list of canonical fields, e.g. [personalId, fullName]");
    }
    List<String> required = new ArrayList<>();
    for (JsonNode item : list) {
      String name = item.asText();
      boolean mapped =
          fields.stream()
              .anyMatch(f -> f.field().path().equals(name) || f.field().parent().equals(name));
      if (!mapped) {
        throw fail(
            "rules.required: '"
                + name
                + "' is not a mapped field; map it under fields or remove it");
      }
      required.add(name);
    }
    return required;
  }

  // A required field left empty would be rejected anyway, with a less telling reason.
  private void checkAbsentNotRequired(List<FieldMapping> fields, List<String> required) {
    for (FieldMapping f : fields) {
      if (f.emptyIfAbsent()
          && (required.contains(f.field().path()) || required.contains(f.field().parent()))) {
        throw fail(
            "fields."
                + f.field().path()
                + ".ifAbsent: empty is not allowed on a required field (rules.required); remove"
                + " it or make the field optional");
      }
    }
  }

  private void checkKeys(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw fail(prefix + key + ": unknown key; known keys are " + new TreeSet<>(known));
      }
    }
  }

  private String requiredText(JsonNode node, String key, String example) {
    return requiredText(node, key, example, key);
  }

  private String requiredText(JsonNode node, String key, String example, String keyPath) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
      throw fail(keyPath + ": missing" + (example == null ? "" : "; add " + example));
    }
    return value.asText();
  }

  private ConfigException fail(String message) {
    return new ConfigException(origin + ": " + message);
  }
}
