package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMariaDbIT {

  @TempDir Path dir;

  @Test
  void startsWithRowBinlogAndKeepsDataAcrossRestarts() throws Exception {
    try (LocalMariaDb db = LocalMariaDb.start(dir, 0)) {
      db.createDatabaseIfMissing("health_insurance");
      try (Connection c = db.connect("health_insurance");
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE t (id INT PRIMARY KEY, ten VARCHAR(50)); INSERT INTO t VALUES (1, 'Lê')");
        try (ResultSet rs = st.executeQuery("SELECT @@binlog_format, @@log_bin, @@have_ssl")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("ROW");
          assertThat(rs.getInt(2)).isEqualTo(1);
          assertThat(rs.getString(3)).isNotEqualTo("YES");
        }
      }
    }
    try (LocalMariaDb again = LocalMariaDb.start(dir, 0);
        Connection c = again.connect("health_insurance");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ten FROM t WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Lê");
    }
  }

  /**
   * A JVM killed with SIGKILL orphans its MariaDB, which keeps the data directory locked; the next
   * start on that directory must stop the orphan and come up with the data.
   */
  @Test
  void reclaimsTheServerOfAKilledJvm() throws Exception {
    Path project = Path.of(System.getProperty("ndc.project.dir", "."));
    Path jar = project.resolve("target/ndc-sync.jar");
    assumeTrue(Files.isRegularFile(jar), "needs target/ndc-sync.jar (run after package)");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar + java.io.File.pathSeparator + project.resolve("target/test-classes"),
                MariaDbChild.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("ready"));
      assertThat(line).as("child started MariaDB").isEqualTo("ready");
    }
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<ProcessHandle> orphans = StaleMariaDb.serversOn(dir.resolve("data"));
    assertThat(orphans).as("the killed JVM left its MariaDB running").hasSize(1);

    try (LocalMariaDb again = LocalMariaDb.start(dir, 0);
        Connection c = again.connect("health_insurance");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ten FROM t WHERE id = 1")) {
      assertThat(orphans.get(0).isAlive()).as("orphan stopped").isFalse();
      assertThat(StaleMariaDb.serversOn(dir.resolve("data"))).hasSize(1);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Lê");
    } finally {
      StaleMariaDb.serversOn(dir.resolve("data")).forEach(ProcessHandle::destroyForcibly);
    }
  }
}
