package vn.ndc.sync.standardize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.config.ConfigException;

/**
 * One parsed and validated {@code connectors/<agency>/mapping.yaml}: which source table feeds which
 * canonical entity, and how each canonical field is computed from a source column. See {@code
 * package-info.java} for the file format.
 */
public final class EntityMapping implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("version", "entity", "table", "timezone", "fields", "rules");
  private static final Set<String> RULE_KEYS = Set.of("required");
  private static final Set<String> SET_BY_PIPELINE = Set.of("personKey", "deleted", "lineage");
  private static final String DEFAULT_ZONE = "Asia/Ho_Chi_Minh";

  private final String agency;
  private final String origin;
  private final String entity;
  private final String table;
  private final String version;
  private final ZoneId zone;
  private final List<FieldMapping> fields;
  private final List<String> required;

  private EntityMapping(
      String agency,
      String origin,
      String entity,
      String table,
      String version,
      ZoneId zone,
      List<FieldMapping> fields,
      List<String> required) {
    this.agency = agency;
    this.origin = origin;
    this.entity = entity;
    this.table = table;
    this.version = version;
    this.zone = zone;
    this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
    this.required = List.copyOf(required);
  }

  /** Reads a mapping file; the agency is the name of the folder holding it. */
  public static EntityMapping load(Path mappingFile) {
    String origin = displayName(mappingFile);
    String yaml;
    try {
      yaml = Files.readString(mappingFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          origin + ": cannot read the mapping file (" + e + "). Check the connector folder.", e);
    }
    Path folder = mappingFile.toAbsolutePath().normalize().getParent();
    String agency =
        folder == null || folder.getFileName() == null ? "" : folder.getFileName().toString();
    return parse(yaml, agency, origin);
  }

  /**
   * Parses mapping YAML.
   *
   * @param origin how to name the file in error messages
   * @throws ConfigException naming the file, the key and the fix
   */
  public static EntityMapping parse(String yaml, String agency, String origin) {
    return new Parser(agency, origin).parse(yaml);
  }

  // Relative names in messages: an absolute path says nothing about the project layout.
  private static String displayName(Path file) {
    Path normalized = file.normalize();
    if (normalized.isAbsolute()) {
      Path cwd = Path.of("").toAbsolutePath();
      if (normalized.startsWith(cwd)) {
        return cwd.relativize(normalized).toString().replace('\\', '/');
      }
    }
    return normalized.toString().replace('\\', '/');
  }

  public String agency() {
    return agency;
  }

  public String entity() {
    return entity;
  }

  public String table() {
    return table;
  }

  public String version() {
    return version;
  }

  /** Where the mapping came from, for messages. */
  public String origin() {
    return origin;
  }

  /** Time zone of source local times (the mapping's {@code timezone}, default Asia/Ho_Chi_Minh). */
  public ZoneId zone() {
    return zone;
  }

  /** The field mappings in file order. */
  public List<FieldMapping> fields() {
    return fields;
  }

  /** Canonical fields that must have a value (rules.required). */
  public List<String> required() {
    return required;
  }

  /** Every source column the mapping reads. */
  public Set<String> sourceColumns() {
    Set<String> columns = new LinkedHashSet<>();
    fields.forEach(f -> columns.add(f.column()));
    return Collections.unmodifiableSet(columns);
  }

  /**
   * Checks the mapping against the columns the source table really has.
   *
   * @throws ConfigException listing each mapped column the table lacks
   */
  public void checkColumns(String table, Collection<String> actualColumns) {
    Set<String> actual = new HashSet<>(actualColumns);
    List<String> problems = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (FieldMapping field : fields) {
      if (!actual.contains(field.column()) && reported.add(field.column())) {
        String hint = ColumnNames.closest(field.column(), actualColumns);
        problems.add(
            origin
                + ": field "
                + field.field().path()
                + " maps column '"
                + field.column()
                + "' which table "
                + table
                + " does not have (its columns: "
                + String.join(", ", new TreeSet<>(actualColumns))
                + "). "
                + (hint == null
                    ? "Fix the column name in the mapping."
                    : "Fix the column name in the mapping (did you mean '" + hint + "'?)."));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  /** Schema of a supported canonical entity. */
  static Schema entitySchema(String entity) {
    return switch (entity) {
      case "Person" -> Person.getClassSchema();
      default -> null;
    };
  }

  /** Turns the YAML tree into a mapping, failing on the first problem with its key path. */
  private static final class Parser {
    private static final YAMLMapper YAML = yamlMapper();

    private final String agency;
    private final String origin;

    Parser(String agency, String origin) {
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
      Schema schema = entitySchema(entity);
      if (schema == null) {
        throw fail("entity: unknown canonical entity '" + entity + "'; supported: Person");
      }
      String table = requiredText(root, "table", "the source table, e.g. table: public.nhan_khau");
      ZoneId zone = zone(root.get("timezone"));
      List<FieldMapping> fields = fields(root.get("fields"), schema, zone);
      List<String> required = required(root.get("rules"), fields);
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
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
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
      return new FieldMapping(field, column, transformName, transform);
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
        throw fail(
            "rules.required: must be a list of canonical fields, e.g. [personalId, fullName]");
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
}
