package vn.ndc.sync.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JdbcUrl;

/** The NDC PostgreSQL store: creates its tables before a job writes to them. */
public final class NdcStore {

  private NdcStore() {}

  /** Creates the NDC schema and tables when missing; safe to run at every start. */
  public static void ensureSchema(String jdbcUrl, String user, String password) {
    String ddl;
    try (InputStream in = NdcStore.class.getResourceAsStream("/ndc-store.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("ndc-store.sql is missing from the jar", e);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException e) {
      throw new ConfigException(
          "cannot prepare the NDC store at "
              + JdbcUrl.withoutQuery(jdbcUrl)
              + ": "
              + e.getMessage()
              + "; check store.jdbc-url, store.user and store.password",
          e);
    }
  }
}
