package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
