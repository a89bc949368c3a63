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

  /** How long a count may stand still before the wait fails. */
  static final Duration STALL_LIMIT = Duration.ofMinutes(5);

  /**
   * Returns once {@code progress} reaches {@code expected}; prints {@code bench: <what>: n/expected
   * <unit>} every 15 s and fails after 5 minutes plus 5 ms per expected item, or sooner when the
   * count has not moved for {@link #STALL_LIMIT}.
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
    until(what, expected, unit, progress, ready, out, STALL_LIMIT);
  }

  /** As above, with the given stall limit in place of {@link #STALL_LIMIT}. */
  static void until(
      String what,
      long expected,
      String unit,
      Progress progress,
      Ready ready,
      PrintStream out,
      Duration stallLimit)
      throws Exception {
    long started = System.nanoTime();
    long limit = Duration.ofMinutes(5).toNanos() + expected * 5_000_000L;
    long lastReport = started;
    long lastCount = -1;
    long lastMove = started;
    while (true) {
      long have = progress.reached();
      if (have >= expected && ready.check()) {
        return;
      }
      long now = System.nanoTime();
      if (have != lastCount) {
        lastCount = have;
        lastMove = now;
      } else if (have < expected && now - lastMove > stallLimit.toNanos()) {
        // A capture that keeps failing retries forever and counts nothing; the whole limit would
        // leave the bench hanging for hours (see the log file for the capture's error).
        throw new IllegalStateException(
            String.format(
                "%s: %d of %d %s, and no more for %d s; the log file says why",
                what, have, expected, unit, stallLimit.toSeconds()));
      }
      if (now - started > limit) {
        throw new IllegalStateException(
            String.format(
                "%s: %d of %d %s%s in time",
                what, have, expected, unit, have >= expected ? ", but not yet in effect," : ""));
      }
      if (now - lastReport > 15_000_000_000L) {
        out.printf("bench: %s: %d/%d %s%n", what, have, expected, unit);
        lastReport = now;
      }
      Thread.sleep(1000);
    }
  }
}
