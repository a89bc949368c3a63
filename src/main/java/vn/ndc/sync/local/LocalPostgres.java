package vn.ndc.sync.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL 17 server (zonky binaries) configured for logical decoding.
 *
 * <p>A data directory that already holds a cluster is reused as is, so databases, replication slots
 * and registry data survive a restart. fsync stays on because crash recovery is tested on top of
 * this; only {@code synchronous_commit} is relaxed, which can lose the last few commits on an OS
 * crash but never corrupts the cluster.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final String SUPERUSER = "postgres";
  private static final String HOST = "localhost";

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private Process restarted;

  private LocalPostgres(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts PostgreSQL on {@code dataDir}, running initdb only if the directory holds no cluster.
   *
   * @param port the TCP port, or 0 to pick a free one
   */
  public static LocalPostgres start(Path dataDir, int port) {
    return start(dataDir, port, null);
  }

  /**
   * Starts PostgreSQL on {@code dataDir} as {@link #start(Path, int)}, with TLS when {@code tls} is
   * not null. The server's own connections ({@link #connect}, {@link #dataSource}) then use TLS
   * without checking the certificate; {@link #jdbcUrl} stays plain, so a client must say how it
   * checks the server.
   */
  public static LocalPostgres start(Path dataDir, int port, ServerTls tls) {
    int resolved = Ports.resolve(port, "--postgres-port");
    Path dir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(dir.getParent());
      Path log = logFileOf(dir);
      StalePostmaster.stopIfOrphaned(dir);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPort(resolved)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setOutputRedirector(Redirect.appendTo(log.toFile()))
              .setErrorRedirector(Redirect.appendTo(log.toFile()))
              // zonky always passes -F (fsync off); a later -c wins, and we need real fsync.
              .setServerConfig("fsync", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_replication_slots", "10")
              .setServerConfig("max_wal_senders", "10")
              .setServerConfig("max_connections", "300")
              .setServerConfig("shared_buffers", "128MB")
              .setServerConfig("timezone", "UTC");
      if (tls != null) {
        requireTls(builder, tls, dir.resolveSibling(dir.getFileName() + ".tls-hba.conf"));
      }
      EmbeddedPostgres pg = builder.start();
      return new LocalPostgres(pg, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dir, e);
    }
  }

  private static void requireTls(EmbeddedPostgres.Builder builder, ServerTls tls, Path hba)
      throws IOException {
    // PostgreSQL refuses a key that others can read.
    Files.setPosixFilePermissions(
        tls.privateKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    // Only hostssl lines: a TCP client without TLS matches none and is refused.
    Files.writeString(
        hba,
        String.join(
            "\n",
            "local all all trust",
            "hostssl all all 127.0.0.1/32 trust",
            "hostssl all all ::1/128 trust",
            "hostssl replication all 127.0.0.1/32 trust",
            "hostssl replication all ::1/128 trust",
            ""));
    builder
        .setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", tls.certificate().toAbsolutePath().toString())
        .setServerConfig("ssl_key_file", tls.privateKey().toAbsolutePath().toString())
        .setServerConfig("hba_file", hba.toAbsolutePath().toString())
        .setConnectConfig("sslmode", "require");
  }

  public int port() {
    return postgres.getPort();
  }

  /** Host name clients (JDBC, Debezium) should use. */
  public String host() {
    return HOST;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The server's log (its standard output and error), beside the data directory. */
  public Path logFile() {
    return logFileOf(dataDir);
  }

  private static Path logFileOf(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
  }

  public String user() {
    return SUPERUSER;
  }

  /**
   * The cluster uses trust authentication; any password works, this one is for tools that need one.
   */
  public String password() {
    return SUPERUSER;
  }

  /** Creates {@code name} unless a database of that name exists already. */
  public void createDatabaseIfMissing(String name) {
    try (Connection c = connect("postgres");
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      // Another caller may have created it between the check and the CREATE.
      if (!"42P04".equals(e.getSQLState())) {
        throw new IllegalStateException("cannot create database " + name, e);
      }
    }
  }

  /** Creates the role {@code name} that cannot log in (a group), unless it exists already. */
  public void createGroupRoleIfMissing(String name) {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + name.replace("'", "''")
              + "') THEN CREATE ROLE \""
              + name.replace("\"", "\"\"")
              + "\" NOLOGIN; END IF; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create role " + name, e);
    }
  }

  public DataSource dataSource(String database) {
    return postgres.getDatabase(SUPERUSER, database);
  }

  public Connection connect(String database) throws SQLException {
    return dataSource(database).getConnection();
  }

  /**
   * Restarts the server as an operator would (fast shutdown, then the same binary, options, port
   * and data): every client sees its connections terminated. The postmaster is signalled and
   * started again from its {@code postmaster.opts}, since zonky's handle cannot restart it. Used by
   * fault tests.
   */
  public synchronized void restart() {
    Path log = logFile();
    try {
      ProcessHandle running = StalePostmaster.postmasterOf(dataDir);
      List<String> command = new java.util.ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        // PostgreSQL refuses root; zonky starts it in a user namespace, and so must a restart.
        command.addAll(List.of("unshare", "-U"));
      }
      command.addAll(StalePostmaster.commandLine(dataDir));
      // SIGINT is PostgreSQL's fast shutdown: sessions are cut, the server checkpoints and exits.
      new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).start().waitFor();
      running.onExit().get(120, TimeUnit.SECONDS);
      restarted =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log.toFile()))
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (true) {
        try (Connection c = connect("postgres")) {
          return;
        } catch (SQLException e) {
          if (System.nanoTime() > deadline || !restarted.isAlive()) {
            throw new IllegalStateException("PostgreSQL did not come back; see " + log, e);
          }
          Thread.sleep(200);
        }
      }
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot restart PostgreSQL on " + dataDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting PostgreSQL", e);
    }
  }

  @Override
  public synchronized void close() {
    if (restarted != null) {
      // zonky's handle is the first postmaster, gone since the restart: stop the current one.
      try {
        new ProcessBuilder("kill", "-INT", Long.toString(restarted.pid())).start().waitFor();
        if (!restarted.waitFor(120, TimeUnit.SECONDS)) {
          restarted.destroyForcibly();
        }
      } catch (IOException e) {
        restarted.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        restarted.destroyForcibly();
      }
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
