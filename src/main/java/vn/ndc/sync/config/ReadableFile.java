package vn.ndc.sync.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** A file an option names, checked before anything starts so a missing mount fails by name. */
final class ReadableFile {

  private ReadableFile() {}

  /**
   * The absolute path of {@code value}.
   *
   * @throws ConfigException when it is not a readable regular file
   */
  static String check(String key, String value, String what) {
    Path file = Path.of(value);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(
          key + " " + value + " is not a readable file; mount " + what + " there");
    }
    return file.toAbsolutePath().toString();
  }
}
