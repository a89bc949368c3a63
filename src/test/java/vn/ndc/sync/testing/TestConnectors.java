package vn.ndc.sync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Copies of the project's connectors/ folder that a test may narrow or break. */
public final class TestConnectors {

  /** The project's own connectors/ folder. */
  public static final Path PROJECT_CONNECTORS =
      Path.of(System.getProperty("ndc.project.dir", ".")).resolve("connectors");

  private TestConnectors() {}

  /** A copy under {@code dir} holding only the named agency folders. */
  public static Path only(Path dir, String... agencies) {
    Path target = dir.resolve("connectors");
    for (String agency : agencies) {
      copy(PROJECT_CONNECTORS.resolve(agency), target.resolve(agency));
    }
    return target;
  }

  private static void copy(Path source, Path target) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
