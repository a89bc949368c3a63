package vn.ndc.sync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Samples, once a second, the resident memory (VmRSS from /proc) of the processes taking part in a
 * benchmark, and keeps the peak of each per phase; also the peak heap use of this JVM. Also reads
 * their CPU time on demand.
 */
final class MemorySampler implements AutoCloseable {

  /**
   * A process to watch: a name, what kind of process it is (how its CPU splits by role) and how to
   * find its pids now (empty when it is not running).
   */
  record Watched(String name, CpuByRole.Kind kind, Supplier<List<Long>> pids) {}

  private final List<Watched> watched;
  private final Map<String, Path> directories;
  private final Map<String, Long> peaks = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  MemorySampler(List<Watched> watched) {
    this(watched, Map.of());
  }

  /**
   * Also samples the size of each named directory: files a process keeps in a memory-backed file
   * system ({@code /dev/shm}) take memory that no resident set size shows.
   */
  MemorySampler(List<Watched> watched, Map<String, Path> directories) {
    this.watched = watched;
    this.directories = directories;
    this.thread = new Thread(this::loop, "bench-memory-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a new phase: forgets the peaks seen so far, including this JVM's heap peak. */
  synchronized void reset() {
    peaks.clear();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /**
   * Peaks of the phase, in MiB: per watched name, the largest total VmRSS of its processes
   * (postgres is reported as its largest single process and as the sum), and this JVM's heap.
   */
  synchronized Map<String, Long> peaksMiB() {
    sample();
    Map<String, Long> out = new LinkedHashMap<>();
    for (Watched w : watched) {
      Long kb = peaks.get(w.name());
      if (kb != null) {
        out.put(w.name() + "_rss_mib", kb / 1024);
      }
      Long single = peaks.get(w.name() + ".single");
      if (single != null && !single.equals(kb)) {
        out.put(w.name() + "_largest_process_rss_mib", single / 1024);
      }
    }
    for (String name : directories.keySet()) {
      Long bytes = peaks.get(name + ".dir");
      if (bytes != null) {
        out.put(name + "_mib", bytes >> 20);
      }
    }
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    out.put("bench_jvm_heap_peak_mib", heap >> 20);
    return out;
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample() {
    for (Watched w : watched) {
      long total = 0;
      long single = 0;
      List<Long> pids = pidsOf(w);
      for (long pid : pids) {
        OptionalLong kb = statusKb(pid, "VmRSS:");
        if (kb.isPresent()) {
          total += kb.getAsLong();
          single = Math.max(single, kb.getAsLong());
        }
      }
      if (total > 0) {
        peaks.merge(w.name(), total, Math::max);
        peaks.merge(w.name() + ".single", single, Math::max);
      }
    }
    directories.forEach(
        (name, dir) -> {
          long bytes = directoryBytes(dir);
          if (bytes > 0) {
            peaks.merge(name + ".dir", bytes, Math::max);
          }
        });
  }

  /** Total size of the files under {@code dir}; 0 when it does not exist. */
  static long directoryBytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.mapToLong(MemorySampler::sizeOrZero).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // RocksDB deleted a file while it was listed; the next second counts again
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The CPU of every watched process so far, by name and by role: its user and system time, plus
   * the time of the children it has reaped (PostgreSQL's exited backends). Differences between two
   * readings are the CPU a phase cost, which, unlike its wall time, hardly depends on what else the
   * machine runs.
   */
  CpuByRole.Mark cpuMark() {
    return CpuByRole.mark(watched);
  }

  /** The watched name's pids now; none when they cannot be told (the process is going away). */
  static List<Long> pidsOf(Watched w) {
    try {
      return w.pids().get();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** A "kB" field of /proc/&lt;pid&gt;/status, such as VmRSS: or VmHWM:. */
  static OptionalLong statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field)) {
          return OptionalLong.of(
              Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone, or this is not Linux
    }
    return OptionalLong.empty();
  }

  /** A process and all its descendants, as pids. */
  static List<Long> withDescendants(long pid) {
    return ProcessHandle.of(pid)
        .map(
            h ->
                java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants())
                    .map(ProcessHandle::pid)
                    .toList())
        .orElse(List.of());
  }

  /** The postmaster of a data directory (first line of postmaster.pid) and its children. */
  static List<Long> postgres(Path dataDir) {
    try {
      long pid =
          Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      return withDescendants(pid);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
