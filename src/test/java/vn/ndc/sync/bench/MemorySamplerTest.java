package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySamplerTest {

  @Test
  void countsTheJitCompilerThreadsOfAJvmAndNothingForOtherProcesses() throws Exception {
    long self = ProcessHandle.current().pid();
    // By the time a test runs, this JVM has compiled thousands of methods.
    assertThat(MemorySampler.compilerThreadTicks(self)).isPositive();
    assertThat(MemorySampler.compilerThreadTicks(self))
        .isLessThanOrEqualTo(MemorySampler.cpuTicks(self));

    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try (MemorySampler sampler =
        new MemorySampler(
            List.of(new MemorySampler.Watched("sleeper", () -> List.of(sleeper.pid()))))) {
      assertThat(sampler.jitSeconds()).isZero();
    } finally {
      sleeper.destroy();
    }
  }
}
