package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.capture.ConnectorConfig;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.standardize.EntityMapping;

/**
 * The job reads only the mapped table's raw topic, so a connector that captures more would leave
 * changes that are neither delivered, dead-lettered nor counted; such a folder is refused up front.
 */
class CapturedTablesTest {

  private static final Path CONNECTORS =
      Path.of(System.getProperty("ndc.project.dir", ".")).resolve("connectors");
  private static final Path FILE = Path.of("connectors/civil-registry/connector.properties");

  private static Properties captureOf(String includeList) {
    Properties p = new Properties();
    if (includeList != null) {
      p.setProperty("table.include.list", includeList);
    }
    return p;
  }

  @Test
  void everyShippedAgencyCapturesItsMappedTableAlone() {
    for (Path dir : Mappings.agencyFolders(CONNECTORS)) {
      Properties debezium =
          ConnectorConfig.load(dir, LocalPipeline.validationPlaceholders()).debeziumProperties();
      assertThatCode(
              () ->
                  Mappings.checkCapturedTables(
                      Mappings.load(dir), debezium, dir.resolve("connector.properties")))
          .as(dir.getFileName().toString())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void aSecondCapturedTableIsRefusedWithTheFix() {
    EntityMapping mapping = Mappings.load(CONNECTORS.resolve("civil-registry"));
    assertThatThrownBy(
            () ->
                Mappings.checkCapturedTables(
                    mapping, captureOf("public.nhan_khau, public.ho_gia_dinh"), FILE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(FILE.toString())
        .hasMessageContaining("captures 'public.ho_gia_dinh'")
        .hasMessageContaining("maps only public.nhan_khau");
  }

  @Test
  void aConnectorCapturingEveryTableIsRefusedWithTheFix() {
    EntityMapping mapping = Mappings.load(CONNECTORS.resolve("civil-registry"));
    for (String missing : new String[] {null, " "}) {
      assertThatThrownBy(() -> Mappings.checkCapturedTables(mapping, captureOf(missing), FILE))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("table.include.list is not set")
          .hasMessageContaining("table.include.list=public.nhan_khau");
    }
    assertThatCode(
            () -> Mappings.checkCapturedTables(mapping, captureOf(" public.nhan_khau "), FILE))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> Mappings.checkCapturedTables(mapping, captureOf("public\\.nhan_khau"), FILE))
        .as("Debezium's entries are regular expressions")
        .doesNotThrowAnyException();
  }

  @Test
  void aPatternForOtherTablesIsRefused() {
    EntityMapping mapping = Mappings.load(CONNECTORS.resolve("civil-registry"));
    assertThatThrownBy(() -> Mappings.checkCapturedTables(mapping, captureOf("public\\..*"), FILE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("captures 'public\\..*'");
  }
}
