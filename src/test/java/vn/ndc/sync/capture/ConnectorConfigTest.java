package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.config.ConfigException;

class ConnectorConfigTest {

  @TempDir Path connectors;

  @Test
  void resolvesPlaceholdersAndNamesTheAgencyAfterItsFolder() throws IOException {
    write(
        "hotich",
        "connector.class=io.debezium.connector.postgresql.PostgresConnector\n"
            + "database.hostname=${db.host}\n"
            + "database.port=${db.port}\n"
            + "database.dbname=hotich_${ db.suffix }\n"
            + "literal=no placeholders here\n");

    ConnectorConfig config =
        ConnectorConfig.load(
            connectors,
            "hotich",
            Map.of("db.host", "localhost", "db.port", "5432", "db.suffix", "a$1"));

    assertThat(config.agency()).isEqualTo("hotich");
    Properties props = config.debeziumProperties();
    assertThat(props.getProperty("database.hostname")).isEqualTo("localhost");
    assertThat(props.getProperty("database.port")).isEqualTo("5432");
    assertThat(props.getProperty("database.dbname")).isEqualTo("hotich_a$1");
    assertThat(props.getProperty("literal")).isEqualTo("no placeholders here");
    props.setProperty("name", "changed");
    assertThat(config.debeziumProperties().getProperty("name")).isNull();
  }

  @Test
  void unresolvedPlaceholderNamesKeyAndPlaceholder() throws IOException {
    write("bhxh", "database.password=${db.password}\n");
    assertThatThrownBy(() -> ConnectorConfig.load(connectors, "bhxh", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.password")
        .hasMessageContaining("${db.password}");
  }

  @Test
  void missingFileSaysWhatIsExpected() {
    assertThatThrownBy(() -> ConnectorConfig.load(connectors, "nowhere", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connector config not found: ")
        .hasMessageContaining("nowhere")
        .hasMessageContaining("needs a connector.properties");
  }

  private void write(String agency, String text) throws IOException {
    Path dir = Files.createDirectories(connectors.resolve(agency));
    Files.writeString(dir.resolve(ConnectorConfig.FILE_NAME), text);
  }
}
