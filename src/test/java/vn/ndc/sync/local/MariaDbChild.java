package vn.ndc.sync.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** A JVM that starts an embedded MariaDB on a directory, writes one row and waits to be killed. */
public final class MariaDbChild {

  private MariaDbChild() {}

  public static void main(String[] args) throws Exception {
    LocalMariaDb db = LocalMariaDb.start(Path.of(args[0]), 0);
    db.createDatabaseIfMissing("health_insurance");
    try (Connection c = db.connect("health_insurance");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, ten VARCHAR(50)); INSERT INTO t VALUES (1, 'Lê')");
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
