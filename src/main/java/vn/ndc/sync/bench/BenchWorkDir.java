package vn.ndc.sync.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import vn.ndc.sync.local.FileTrees;

/**
 * The bench's work directory: emptied at the start, checked for room, and deleted at the end unless
 * kept, since a default report leaves gigabytes of databases and topics behind.
 */
final class BenchWorkDir {

  /**
   * Disk a report uses per million rows: a default report with {@code --population} (1,000,000
   * rows, three runs of each part) left about 17 GB behind; the margin covers WAL and segments that
   * peak before they are recycled.
   */
  static final long BYTES_PER_MILLION_ROWS = 20L << 30;

  private final Path dir;
  private final PrintStream out;

  BenchWorkDir(Path dir, PrintStream out) {
    this.dir = dir.toAbsolutePath();
    this.out = out;
  }

  Path path() {
    return dir;
  }

  /** Empties the directory and warns when its disk holds less than the run is likely to use. */
  void prepare(long rows, int repeat) throws IOException {
    FileTrees.deleteRecursively(dir);
    Files.createDirectories(dir);
    long needed = needed(rows, repeat);
    long usable = Files.getFileStore(dir).getUsableSpace();
    if (usable < needed) {
      out.printf(
          "bench: warning: %s has %s free, and a run of this size may use about %s; a full disk"
              + " stops the broker and fails the run (use --work-dir on a larger disk)%n",
          dir, gib(usable), gib(needed));
    }
  }

  /** Deletes the directory, or says where it stays; the bench's log beside it is kept. */
  void cleanUp(boolean keep) {
    if (keep) {
      out.printf("bench: the components' data stay in %s (%s)%n", dir, gib(size()));
      return;
    }
    long size = size();
    try {
      FileTrees.deleteRecursively(dir);
      out.printf("bench: deleted the work directory %s (%s)%n", dir, gib(size));
    } catch (IOException e) {
      out.printf("bench: warning: could not delete the work directory %s: %s%n", dir, e);
    }
  }

  /** Bytes a run of {@code rows} rows, {@code repeat} times per part, is likely to use. */
  static long needed(long rows, int repeat) {
    // Every part keeps each run's source table and topics, so the size grows with the runs.
    double runs = (repeat + 1) / 4.0;
    return (long) (BYTES_PER_MILLION_ROWS * (rows / 1_000_000.0) * runs);
  }

  private long size() {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // gone meanwhile (a segment deleted by the broker)
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static String gib(long bytes) {
    return String.format("%.1f GiB", bytes / (double) (1L << 30));
  }
}
