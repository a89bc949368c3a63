package vn.ndc.sync.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The endpoints of a running {@code local}, kept in {@code <work-dir>/endpoints.properties} so
 * other commands ({@code verify --local}) find them without parsing console output.
 */
public final class LocalEndpoints {

  public static final String FILE_NAME = "endpoints.properties";

  private LocalEndpoints() {}

  /** Writes the endpoints; replaces the file in one move so a reader never sees half of it. */
  public static void write(Path workDir, Map<String, String> endpoints) {
    Properties props = new Properties();
    props.putAll(endpoints);
    Path file = workDir.resolve(FILE_NAME);
    Path tmp = workDir.resolve(FILE_NAME + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        props.store(w, "endpoints of the running ndc-sync local; may be stale after a crash");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The endpoints the last {@code local} on this work dir wrote, if any. */
  public static Optional<Map<String, String>> read(Path workDir) {
    Path file = workDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
    return Optional.of(out);
  }
}
