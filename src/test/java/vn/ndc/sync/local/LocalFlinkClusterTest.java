package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.PersonSyncOptions.StateBackendKind;
import vn.ndc.sync.testing.HttpJson;

class LocalFlinkClusterTest {

  private static final Path PROJECT = Path.of(System.getProperty("ndc.project.dir", "."));

  @Test
  void servesItsSlotsOnItsRestPortUntilClosed() throws Exception {
    int port;
    try (LocalFlinkCluster cluster = LocalFlinkCluster.start(3, StateBackendKind.HASHMAP)) {
      port = cluster.restPort();
      assertThat(cluster.slots()).isEqualTo(3);
      JsonNode overview = overview(port);
      assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
      assertThat(overview.path("slots-total").asInt()).isEqualTo(3);
    }
    assertThat(Ports.isFree(port)).isTrue();
  }

  @Test
  void aJobNeedingMoreSlotsIsRefusedBeforeAnythingStarts(@TempDir Path work) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LocalSettings settings =
        new LocalSettings(
            work,
            PROJECT.resolve("connectors"),
            PROJECT.resolve("jobs/person-sync.yaml"),
            0,
            0,
            0,
            0);
    try (LocalFlinkCluster cluster = LocalFlinkCluster.start(1, StateBackendKind.HASHMAP)) {
      assertThatThrownBy(
              () ->
                  LocalPipeline.startOn(
                      settings,
                      new PrintStream(printed, true, StandardCharsets.UTF_8),
                      null,
                      null,
                      null,
                      cluster))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("parallelism 2 needs 2 task slots")
          .hasMessageContaining("has 1");
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("starting");
    try (var files = Files.list(work)) {
      assertThat(files).isEmpty();
    }
  }

  private static JsonNode overview(int port) throws Exception {
    return HttpJson.get("http://127.0.0.1:" + port + "/overview");
  }
}
