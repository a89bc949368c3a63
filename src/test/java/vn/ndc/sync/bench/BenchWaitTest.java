package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BenchWaitTest {

  private final PrintStream out = new PrintStream(new ByteArrayOutputStream());

  @Test
  void aCountThatStandsStillFailsAfterTheStallLimitNotTheWholeLimit() {

    assertThatThrownBy(
            () ->
                BenchWait.until(
                    "population",
                    1_000_000,
                    "citizens",
                    () -> 3,
                    () -> true,
                    out,
                    Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("population: 3 of 1000000 citizens, and no more for 2 s");
  }

  @Test
  void aCountThatMovesIsWaitedFor() throws Exception {
    AtomicLong count = new AtomicLong();

    BenchWait.until(
        "rows", 4, "rows", count::incrementAndGet, () -> true, out, Duration.ofMillis(1500));

    assertThat(count.get()).isEqualTo(4);
  }
}
