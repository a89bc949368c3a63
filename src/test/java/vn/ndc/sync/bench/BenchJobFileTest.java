package vn.ndc.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.local.LocalPipeline;

class BenchJobFileTest {

  private static final Path SHIPPED =
      Path.of(System.getProperty("ndc.project.dir", ".")).resolve("jobs/person-sync.yaml");

  @Test
  void theCopyOfTheShippedJobDiffersOnlyInItsParallelism(@TempDir Path dir) throws Exception {
    Configuration original = LocalPipeline.validatedJobOptions(SHIPPED);
    int other = original.get(PersonSyncOptions.PARALLELISM) == 1 ? 3 : 1;

    Path copy = BenchJobFile.withParallelism(SHIPPED, other, dir.resolve("sub/job.yaml"));

    Configuration changed = LocalPipeline.validatedJobOptions(copy);
    assertThat(changed.get(PersonSyncOptions.PARALLELISM)).isEqualTo(other);
    Map<String, String> expected = new HashMap<>(original.toMap());
    expected.put(PersonSyncOptions.PARALLELISM.key(), String.valueOf(other));
    assertThat(changed.toMap()).isEqualTo(expected);
    // Comments and layout are kept: only the one line differs.
    assertThat(Files.readAllLines(copy)).hasSameSizeAs(Files.readAllLines(SHIPPED));
  }

  @Test
  void aJobFileWithoutParallelismGetsTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, "store:\n  batch-size: 42");

    Path copy = BenchJobFile.withParallelism(file, 1, dir.resolve("copy.yaml"));

    Configuration changed = LocalPipeline.validatedJobOptions(copy);
    assertThat(changed.get(PersonSyncOptions.PARALLELISM)).isEqualTo(1);
    assertThat(changed.get(PersonSyncOptions.STORE_BATCH_SIZE)).isEqualTo(42);
  }
}
