package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumCaptureTest {

  @Test
  void theEngineUsesOneRecordProcessingThreadUnlessTheAgencySaysOtherwise() {
    Properties stock = connector();
    assertThat(
            DebeziumCapture.engineProperties(builder(stock))
                .getProperty("record.processing.threads"))
        .isEqualTo("1");

    Properties own = connector();
    own.setProperty("record.processing.threads", "4");
    assertThat(
            DebeziumCapture.engineProperties(builder(own)).getProperty("record.processing.threads"))
        .isEqualTo("4");
  }

  private static DebeziumCapture.Builder builder(Properties debezium) {
    return DebeziumCapture.builder()
        .agency("civil-registry")
        .debeziumProperties(debezium)
        .bootstrapServers("localhost:9092");
  }

  private static Properties connector() {
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("offset.storage.file.filename", "offsets/civil-registry.dat");
    return p;
  }
}
