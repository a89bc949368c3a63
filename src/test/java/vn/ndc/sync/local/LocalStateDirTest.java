package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateDirTest {

  @Test
  void choosesOneFolderPerProcessWhenTheRootHasRoom(@TempDir Path root) {
    Optional<Path> dir = LocalStateDir.choose(root, 4242, 1);
    assertThat(dir).contains(root.resolve("ndc-sync-rocksdb-4242"));
  }

  @Test
  void staysOnDiskWhenTheMemoryFileSystemIsTooSmallOrMissing(@TempDir Path root) {
    assertThat(LocalStateDir.choose(root, 4242, Long.MAX_VALUE)).isEmpty();
    assertThat(LocalStateDir.choose(root.resolve("no-such-root"), 4242, 1)).isEmpty();
  }

  @Test
  void removesTheFoldersOfProcessesThatNoLongerRun(@TempDir Path root) throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    Path gone = root.resolve("ndc-sync-rocksdb-" + exited.pid());
    Files.createDirectories(gone.resolve("job_x/db"));
    Files.write(gone.resolve("job_x/db/000001.sst"), new byte[16]);
    Path alive = root.resolve("ndc-sync-rocksdb-" + ProcessHandle.current().pid());
    Files.createDirectories(alive.resolve("job_y"));
    Path other = root.resolve("something-else-1");
    Files.createDirectories(other);

    LocalStateDir.choose(root, ProcessHandle.current().pid(), 1);

    assertThat(gone).doesNotExist();
    assertThat(alive.resolve("job_y")).isDirectory();
    assertThat(other).isDirectory();
  }
}
