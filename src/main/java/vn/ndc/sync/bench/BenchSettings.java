package vn.ndc.sync.bench;

import java.nio.file.Path;
import java.util.List;

/** What `ndc-sync bench` measures and where it keeps its data. */
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
    String command) {}
