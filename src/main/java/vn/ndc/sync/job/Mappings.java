package vn.ndc.sync.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.StandardizePerson;

/** Reads the mapping of every agency folder under connectors/. */
public final class Mappings {

  private Mappings() {}

  /** The agency folders under {@code connectorsDir}, sorted by name. */
  public static List<Path> agencyFolders(Path connectorsDir) {
    if (!Files.isDirectory(connectorsDir)) {
      throw new ConfigException(
          "connectors folder not found: "
              + connectorsDir.toAbsolutePath()
              + "; run from the project root or pass --connectors <dir>");
    }
    List<Path> dirs;
    try (Stream<Path> list = Files.list(connectorsDir)) {
      // A ConfigMap mounted as a folder holds hidden ..data entries: they are not agencies.
      dirs =
          list.filter(Files::isDirectory)
              .filter(d -> !d.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new ConfigException("cannot list " + connectorsDir + ": " + e.getMessage(), e);
    }
    if (dirs.isEmpty()) {
      throw new ConfigException(
          "no agency folders under "
              + connectorsDir.toAbsolutePath()
              + "; add connectors/<agency>/");
    }
    for (Path dir : dirs) {
      if (dir.getFileName().toString().contains(".")) {
        throw new ConfigException(
            "agency folder '"
                + dir.getFileName()
                + "' contains a dot; raw topics are named raw.<agency>.<table>, so rename it");
      }
    }
    return dirs;
  }

  /** The mapping.yaml of one agency folder; its absence is a configuration error. */
  public static EntityMapping load(Path agencyDir) {
    Path mappingFile = agencyDir.resolve("mapping.yaml");
    if (!Files.isRegularFile(mappingFile)) {
      throw new ConfigException(
          "mapping not found: "
              + mappingFile
              + "; each agency folder under connectors/ needs a mapping.yaml");
    }
    return EntityMapping.load(mappingFile);
  }

  /**
   * The agency folders whose mapping yields persons: every folder except the population database,
   * whose rows are citizens (the reference agency records are linked to), not NDC persons.
   */
  public static List<Path> personSourceFolders(Path connectorsDir) {
    return agencyFolders(connectorsDir).stream()
        .filter(dir -> !StandardizePerson.isPopulation(load(dir)))
        .toList();
  }

  /** Every agency's mapping. */
  public static List<EntityMapping> loadAll(Path connectorsDir) {
    List<EntityMapping> out = new ArrayList<>();
    for (Path dir : agencyFolders(connectorsDir)) {
      out.add(load(dir));
    }
    return out;
  }

  /**
   * Checks that the capture reads only the mapped table: the job subscribes to the raw topic of
   * each agency's mapping alone, so the changes of any other captured table would fill a topic that
   * nothing reads, and none of them would be delivered, dead-lettered or counted.
   *
   * @param connectorFile where {@code debezium} was read from, for the message
   */
  public static void checkCapturedTables(
      EntityMapping mapping, java.util.Properties debezium, Path connectorFile) {
    String includeList = debezium.getProperty(TABLE_INCLUDE_LIST);
    if (includeList == null || includeList.isBlank()) {
      throw new ConfigException(
          connectorFile
              + ": "
              + TABLE_INCLUDE_LIST
              + " is not set, so every table of the database is captured, while the job reads only"
              + " the mapped table's topic; set "
              + TABLE_INCLUDE_LIST
              + "="
              + mapping.table());
    }
    for (String entry : includeList.split(",")) {
      String pattern = entry.trim();
      // Debezium reads each entry as a regular expression: an escaped dot names the same table.
      if (!pattern.isEmpty() && !pattern.replace("\\.", ".").equals(mapping.table())) {
        throw new ConfigException(
            connectorFile
                + ": "
                + TABLE_INCLUDE_LIST
                + " captures '"
                + pattern
                + "', but the mapping ("
                + mapping.origin()
                + ") maps only "
                + mapping.table()
                + ", and the job reads only that table's topic; capture "
                + mapping.table()
                + " alone, or give the other table an agency folder with its own mapping");
      }
    }
  }

  /** Debezium's list of the tables a connector captures. */
  static final String TABLE_INCLUDE_LIST = "table.include.list";
}
