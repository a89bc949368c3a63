package vn.ndc.sync.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import vn.ndc.sync.config.ConfigException;

/** Reads every {@code .avsc} of a folder; a schema may name types defined in the other files. */
public final class SchemaFiles {

  private SchemaFiles() {}

  /** One schema file and the schema it defines, with every named type it uses inlined. */
  public record SchemaFile(Path file, Schema schema) {}

  /**
   * Parses the folder's files, each after the files whose types it names.
   *
   * @throws ConfigException naming the file that does not parse, or that names a type no file
   *     defines
   */
  public static List<SchemaFile> load(Path dir) {
    List<Path> pending;
    try (Stream<Path> files = Files.list(dir)) {
      pending =
          new ArrayList<>(
              files.filter(f -> f.getFileName().toString().endsWith(".avsc")).sorted().toList());
    } catch (IOException e) {
      throw new ConfigException(
          "cannot list schemas in " + dir + " (" + e.getMessage() + "); pass --schemas <dir>", e);
    }
    if (pending.isEmpty()) {
      throw new ConfigException("no .avsc files in " + dir + "; pass --schemas <dir>");
    }
    Map<String, Schema> known = new LinkedHashMap<>();
    Map<Path, Schema> parsed = new LinkedHashMap<>();
    Map<Path, String> lastError = new LinkedHashMap<>();
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      for (Path file : List.copyOf(pending)) {
        Schema.Parser parser = new Schema.Parser();
        parser.addTypes(known.values());
        try {
          Schema schema = parser.parse(Files.readString(file, StandardCharsets.UTF_8));
          parser.getTypes().forEach(known::put);
          parsed.put(file, schema);
          pending.remove(file);
          progress = true;
        } catch (AvroRuntimeException e) {
          // A syntax error, or a type of a file not parsed yet (Avro reports an undefined name
          // either way): retried on the next pass, reported if no pass resolves it.
          lastError.put(file, e.getMessage());
        } catch (IOException e) {
          throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    if (!pending.isEmpty()) {
      Path file = pending.get(0);
      throw new ConfigException(file + ": not a valid Avro schema: " + lastError.get(file));
    }
    List<SchemaFile> out = new ArrayList<>();
    parsed.forEach((file, schema) -> out.add(new SchemaFile(file, schema)));
    out.sort((a, b) -> a.file().compareTo(b.file()));
    return out;
  }
}
