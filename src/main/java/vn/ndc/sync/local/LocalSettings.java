package vn.ndc.sync.local;

import java.nio.file.Path;

/**
 * Where `local` keeps its data, reads its configuration, and which ports it opens (0 = free; for
 * {@code metricsPort}, the job's metrics, and {@code captureMetricsPort}, the captures' metrics,
 * {@link #NO_METRICS} = no Prometheus endpoint).
 */
public record LocalSettings(
    Path workDir,
    Path connectorsDir,
    Path jobConfig,
    int postgresPort,
    int kafkaPort,
    int registryPort,
    int flinkUiPort,
    int mariaDbPort,
    int metricsPort,
    int captureMetricsPort) {

  /** The port of a Prometheus endpoint that is not served. */
  public static final int NO_METRICS = -1;

  /** Settings with MariaDB on a free port and no Prometheus endpoint. */
  public LocalSettings(
      Path workDir,
      Path connectorsDir,
      Path jobConfig,
      int postgresPort,
      int kafkaPort,
      int registryPort,
      int flinkUiPort) {
    this(
        workDir,
        connectorsDir,
        jobConfig,
        postgresPort,
        kafkaPort,
        registryPort,
        flinkUiPort,
        0,
        NO_METRICS,
        NO_METRICS);
  }
}
