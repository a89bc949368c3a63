package vn.ndc.sync.local;

import java.nio.file.Path;

/** Where `local` keeps its data, reads its configuration, and which ports it opens (0 = free). */
public record LocalSettings(
    Path workDir,
    Path connectorsDir,
    Path jobConfig,
    int postgresPort,
    int kafkaPort,
    int registryPort,
    int flinkUiPort,
    int mariaDbPort) {

  /** Settings with MariaDB on a free port. */
  public LocalSettings(
      Path workDir,
      Path connectorsDir,
      Path jobConfig,
      int postgresPort,
      int kafkaPort,
      int registryPort,
      int flinkUiPort) {
    this(workDir, connectorsDir, jobConfig, postgresPort, kafkaPort, registryPort, flinkUiPort, 0);
  }
}
