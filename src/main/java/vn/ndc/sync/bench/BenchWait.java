package vn.ndc.sync.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Waits for a count to reach its target, with progress every 15 s and a limit that grows with it.
 */
final class BenchWait {

  /** The count so far; throws, saying why, when what is counted has failed. */
  @FunctionalInterface
  interface Progress {
    long reached() throws Exception;
  }

  /** Whether what was counted is also in effect (checked once the count is reached). */
  @FunctionalInterface
  interface Ready {
    boolean check() throws Exception;
  }

  private BenchWait() {}

  /**
   * Returns once {@code progress} reaches {@code expected}; prints {@code bench: <what>: n/expected
   * <unit>} every 15 s and fails after 5 minutes plus 5 ms per expected item.
   */
  static void until(String what, long expected, String unit, Progress progress, PrintStream out)
      throws Exception {
    until(what, expected, unit, progress, () -> true, out);
  }

  /**
   * As {@link #until(String, long, String, Progress, PrintStream)}, also waiting for {@code ready}.
   */
  static void until(
      String what, long expected, String unit, Progress progress, Ready ready, PrintStream out)
      throws Exception {
    long started = System.nanoTime();
    long limit = Duration.ofMinutes(5).toNanos() + expected * 5_000_000L;
    long lastReport = started;
    while (true) {
      long have = progress.reached();
      if (have >= expected && ready.check()) {
        return;
      }
      long now = System.nanoTime();
      if (now - started > limit) {
        throw new IllegalStateException(
            what
                + ": "
                + have
                + " of "
                + expected
                + " "
                + unit
                + (have >= expected ? ", but not yet in effect," : "")
                + " in time");
      }
      if (now - lastReport > 15_000_000_000L) {
        out.printf("bench: %s: %d/%d %s%n", what, have, expected, unit);
        lastReport = now;
      }
      Thread.sleep(1000);
    }
  }
}
