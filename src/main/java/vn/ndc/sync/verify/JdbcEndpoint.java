package vn.ndc.sync.verify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import vn.ndc.sync.config.JdbcUrl;

/** A database to read: a JDBC URL and, unless the URL carries them, a user and password. */
public record JdbcEndpoint(String url, String user, String password) {

  public Connection connect() throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(url, props);
  }

  /** The URL without its query string, which may hold a password. */
  public String display() {
    return JdbcUrl.withoutQuery(url);
  }
}
