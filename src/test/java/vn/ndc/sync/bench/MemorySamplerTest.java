package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemorySamplerTest {

  @Test
  void readsTheCpuOfEveryWatchedProcessByNameAndByRole() throws Exception {
    long self = ProcessHandle.current().pid();
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try (MemorySampler sampler =
        new MemorySampler(
            List.of(
                new MemorySampler.Watched("self", CpuByRole.Kind.HARNESS_JVM, () -> List.of(self)),
                new MemorySampler.Watched(
                    "sleeper", CpuByRole.Kind.PIPELINE_JVM, () -> List.of(sleeper.pid()))))) {
      CpuByRole.Mark mark = sampler.cpuMark();
      // By the time a test runs, this JVM has used CPU (and compiled methods); sleep has not
      // (clock ticks: 100 per second).
      assertThat(mark.ticksByName().get("self")).isPositive();
      assertThat(mark.ticksByName().get("sleeper")).isLessThan(5);
      assertThat(mark.units().values())
          .anyMatch(u -> u.role() == CpuByRole.Role.JIT && u.ticks() > 0);
    } finally {
      sleeper.destroy();
    }
  }

  @Test
  void reportsThePeakSizeOfAWatchedDirectory(@TempDir Path dir) throws Exception {
    Path files = dir.resolve("rocksdb");
    Files.createDirectories(files.resolve("db"));
    Files.write(files.resolve("db/000001.sst"), new byte[3 << 20]);
    try (MemorySampler sampler = new MemorySampler(List.of(), Map.of("in_memory", files))) {
      assertThat(sampler.peaksMiB()).containsEntry("in_memory_mib", 3L);
      // A peak: files deleted afterwards do not lower it.
      Files.delete(files.resolve("db/000001.sst"));
      assertThat(sampler.peaksMiB()).containsEntry("in_memory_mib", 3L);
    }
  }

  @Test
  void aMissingDirectoryReportsNothing(@TempDir Path dir) throws Exception {
    try (MemorySampler sampler =
        new MemorySampler(List.of(), Map.of("in_memory", dir.resolve("absent")))) {
      assertThat(sampler.peaksMiB()).doesNotContainKey("in_memory_mib");
    }
  }
}
