package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.PersonSyncOptions;

/** The arguments the FlinkDeployment passes to the job's main, and what it does with them. */
class PersonSyncMainArgumentsTest {

  @Test
  void takesTheJobFileAndTheAgenciesFolder() {
    assertThat(
            PersonSyncMain.parseFlags(
                new String[] {"--config", "/opt/job.yaml", "--connectors", "/opt/connectors"}))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("--config", "/opt/job.yaml", "--connectors", "/opt/connectors"));
  }

  @Test
  void anOptionPassedAsAnArgumentIsRefusedNotIgnored() {
    assertThatThrownBy(
            () ->
                PersonSyncMain.parseFlags(
                    new String[] {"--config", "job.yaml", "--kafka.bootstrap-servers", "k:9092"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'--kafka.bootstrap-servers'")
        .hasMessageContaining("--config file");
    assertThatThrownBy(() -> PersonSyncMain.parseFlags(new String[] {"--config"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'--config'");
  }

  @Test
  void theAgenciesFolderComesFromTheArgumentElseFromTheJobFile() {
    Configuration options = new Configuration();
    options.set(PersonSyncOptions.CONNECTORS_DIR, "/opt/ndc/connectors");
    assertThat(PersonSyncMain.connectorsDir(Map.of(), options))
        .isEqualTo(Path.of("/opt/ndc/connectors"));
    assertThat(PersonSyncMain.connectorsDir(Map.of("--connectors", "mine"), options))
        .isEqualTo(Path.of("mine"));
    assertThat(PersonSyncMain.connectorsDir(Map.of(), new Configuration()))
        .isEqualTo(Path.of("connectors"));
  }
}
