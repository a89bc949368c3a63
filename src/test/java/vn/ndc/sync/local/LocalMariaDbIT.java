package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
}
