package vn.ndc.sync.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What `ndc-sync bench` measures and where it keeps its data.
 *
 * <p>{@code populationTemplate} is null for a bench whose population is empty (every row waits in
 * review); otherwise the agency folder of the population database, whose capture ndc-sync runs
 * beside the bench agency, filled before streaming with a citizen for every row still to come.
 * {@code parallelism} 0 runs ndc-sync's job with its file's parallelism. With {@code interleave},
 * the peer's and ndc-sync's runs alternate instead of running part after part. With {@code
 * keepWorkDir}, the components' data stay in {@code workDir} after the report.
 */
public record BenchSettings(
    long rows,
    int repeat,
    long warmupRows,
    int transactionRows,
    List<Integer> rates,
    int pacedSeconds,
    List<String> parts,
    long seed,
    Path workDir,
    Path outputDir,
    Path agencyTemplate,
    Path jobConfig,
    int parallelism,
    Path populationTemplate,
    boolean interleave,
    boolean keepWorkDir,
    String command) {

  /** True when the streamed rows have their citizens in the population (they link by ID). */
  public boolean linked() {
    return populationTemplate != null;
  }
}
