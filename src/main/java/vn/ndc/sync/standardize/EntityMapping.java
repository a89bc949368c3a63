package vn.ndc.sync.standardize;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.config.ConfigException;

/**
 * One parsed and validated {@code connectors/<agency>/mapping.yaml}: which source table feeds which
 * canonical entity, and how each canonical field is computed from a source column. See {@code
 * package-info.java} for the file format.
 */
public final class EntityMapping implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String agency;
  private final String origin;
  private final String entity;
  private final String table;
  private final String version;
  private final ZoneId zone;
  private final List<FieldMapping> fields;
  private final List<String> required;

  EntityMapping(
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
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          origin + ": cannot read the mapping file: it does not exist. Check the connector folder.",
          e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(
          origin + ": cannot read the mapping file: it is not UTF-8. Save it as UTF-8.", e);
    } catch (IOException e) {
      throw new ConfigException(
          origin
              + ": cannot read the mapping file ("
              + e.getMessage()
              + "). Check its permissions.",
          e);
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
    return new MappingParser(agency, origin).parse(yaml);
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
      if (!actual.contains(field.column())
          && !field.emptyIfAbsent()
          && reported.add(field.column())) {
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
                    ? "Fix the column name in the mapping, or add ifAbsent: empty if the agency"
                        + " adds the column later."
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
      case "Citizen" -> Citizen.getClassSchema();
      default -> null;
    };
  }
}
