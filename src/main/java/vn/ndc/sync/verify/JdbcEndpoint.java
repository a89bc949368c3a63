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
    try {
      return DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      // The driver's message may repeat the whole URL, a password in its query string included.
      throw new SQLException(
          e.getMessage() == null ? null : e.getMessage().replace(url, display()),
          e.getSQLState(),
          e.getErrorCode());
    }
  }

  @Override
  public String toString() {
    return "JdbcEndpoint[" + display() + ", user=" + user + "]";
  }

  /** The URL without its query string, which may hold a password. */
  public String display() {
    return JdbcUrl.withoutQuery(url);
  }
}
