package vn.ndc.sync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
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

  /**
   * A copy under {@code dir} of the project's {@code demoAgency} alone, its folder renamed to
   * {@code agency} and its connector.properties rewritten by {@code editConnector}; returns the
   * agency's folder (its parent is the connectors folder).
   */
  public static Path renamed(
      Path dir, String demoAgency, String agency, UnaryOperator<String> editConnector) {
    Path connectors = only(dir, demoAgency);
    try {
      Path folder = Files.move(connectors.resolve(demoAgency), connectors.resolve(agency));
      edit(folder.resolve("connector.properties"), editConnector);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites a text file in place. */
  public static void edit(Path file, UnaryOperator<String> edit) throws IOException {
    Files.writeString(
        file, edit.apply(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /**
   * A job file under {@code dir} for a test's own pipeline on the shared stack: parallelism 1,
   * checkpoints every 2 s, and topics, consumer group and transactional ids named after {@code
   * name} (the dead letters go to {@code dlq.<name>}), so no other pipeline's records mix in.
   */
  public static Path isolatedJob(Path dir, String name) throws IOException {
    Path job = dir.resolve("person-sync.yaml");
    Files.writeString(
        job,
        "parallelism: 1\n"
            + "checkpoint: {interval: 2s}\n"
            + "topics: {person: ndc.person."
            + name
            + ", dead-letter: dlq."
            + name
            + ", review: review."
            + name
            + "}\n"
            + "kafka: {group-id: "
            + name
            + ", transactional-id-prefix: "
            + name
            + "}\n",
        StandardCharsets.UTF_8);
    return job;
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
