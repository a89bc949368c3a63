package vn.ndc.sync.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a local cluster keeps RocksDB's working files: in memory ({@code /dev/shm}) when the host
 * has room there, one folder per process, so that RocksDB's file syncs cost no disk round trip.
 *
 * <p>Every checkpoint flushes each RocksDB instance's memtables in its synchronous phase, which
 * blocks the task; on this project's bench machine most of that phase was the flushes' {@code
 * fsync}s queued on one flush thread, and it made the latency tail at 5k changes/s (BENCHMARKS.md,
 * step 23). The working files are a copy: a job restores from its checkpoints, so losing them with
 * the process loses nothing.
 */
public final class LocalStateDir {

  /** Where memory-backed folders are made, when the host has such a file system. */
  static final Path MEMORY_ROOT = Path.of("/dev/shm");

  /**
   * Free space {@code /dev/shm} must have for RocksDB to go there; a container's default of 64 MiB
   * would fill with the first files and fail the job.
   */
  static final long MIN_FREE_BYTES = 4L << 30;

  private static final String PREFIX = "ndc-sync-rocksdb-";

  private LocalStateDir() {}

  /**
   * This process's memory-backed folder for RocksDB (RocksDB creates it), removed at exit; folders
   * that exited (or killed) processes left behind are removed first. Empty when {@code /dev/shm} is
   * missing or has less than {@link #MIN_FREE_BYTES} free: RocksDB then stays in Flink's temporary
   * directory.
   */
  public static Optional<Path> inMemory() {
    return Holder.DIR;
  }

  /** The folder under {@code root} for process {@code pid}, if {@code root} has the room. */
  static Optional<Path> choose(Path root, long pid, long minFreeBytes) {
    if (!Files.isDirectory(root) || !Files.isWritable(root) || freeBytes(root) < minFreeBytes) {
      return Optional.empty();
    }
    removeLeftovers(root);
    return Optional.of(root.resolve(PREFIX + pid));
  }

  /** Removes the folders of processes that no longer run. */
  static void removeLeftovers(Path root) {
    try (Stream<Path> entries = Files.list(root)) {
      entries
          .filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(p -> ownerGone(p.getFileName().toString().substring(PREFIX.length())))
          .forEach(LocalStateDir::deleteTree);
    } catch (IOException | UncheckedIOException e) {
      // another process may be sweeping too; what is left goes on the next start
    }
  }

  private static boolean ownerGone(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long freeBytes(Path root) {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException | UncheckedIOException e) {
      // a file RocksDB is still closing; the next start's sweep removes it
    }
  }

  // Chosen once per process, so every job of a local cluster shares the folder and its sweep.
  private static final class Holder {
    static final Optional<Path> DIR =
        choose(MEMORY_ROOT, ProcessHandle.current().pid(), MIN_FREE_BYTES);

    static {
      DIR.ifPresent(
          dir ->
              Runtime.getRuntime()
                  .addShutdownHook(new Thread(() -> deleteTree(dir), "ndc-sync-rocksdb-cleanup")));
    }
  }
}
