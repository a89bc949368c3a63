package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  private static final Map<String, String> REQUIRED =
      Map.of(
          "kafka.bootstrap-servers", "localhost:9092",
          "registry.url", "http://localhost:8080",
          "store.jdbc-url", "jdbc:postgresql://localhost/ndc");

  @Test
  void theShippedPersonSyncConfigIsValid() {
    Path shipped =
        Path.of(System.getProperty("ndc.project.dir", ".")).resolve("jobs/person-sync.yaml");
    Configuration conf = JobConfig.load(shipped, REQUIRED, PersonSyncOptions.class);
    assertThat(conf.get(PersonSyncOptions.STORE_BATCH_INTERVAL)).isEqualTo(Duration.ofMillis(50));
    assertThat(conf.get(PersonSyncOptions.PERSON_TOPIC)).isEqualTo("ndc.person");
  }

  @Test
  void nestedYamlKeysAreFlattened(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, "store:\n  batch-size: 42\n");
    Configuration conf = JobConfig.load(file, REQUIRED, PersonSyncOptions.class);
    assertThat(conf.get(PersonSyncOptions.STORE_BATCH_SIZE)).isEqualTo(42);
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, "store:\n  batch-sise: 42\n");
    assertThatThrownBy(() -> JobConfig.load(file, REQUIRED, PersonSyncOptions.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option 'store.batch-sise'")
        .hasMessageContaining("store.batch-size");
  }

  @Test
  void aMissingRequiredKeyIsNamed() {
    assertThatThrownBy(() -> JobConfig.load(null, Map.of(), PersonSyncOptions.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'kafka.bootstrap-servers' is required");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, "checkpoint:\n  interval: often\n");
    assertThatThrownBy(() -> JobConfig.load(file, REQUIRED, PersonSyncOptions.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'checkpoint.interval' has an invalid value 'often'");
  }

  @Test
  void aMissingFileSaysWhichFile(@TempDir Path dir) {
    assertThatThrownBy(
            () -> JobConfig.load(dir.resolve("nope.yaml"), REQUIRED, PersonSyncOptions.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job config not found");
  }
}
