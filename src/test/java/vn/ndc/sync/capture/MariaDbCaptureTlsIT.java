package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.local.LocalMariaDb;
import vn.ndc.sync.local.ServerTls;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.local.TestCertificates;

/**
 * An agency MariaDB reached over verified TLS: with {@code database.ssl.mode=verify-full} and a
 * truststore of the agency's CA, the capture snapshots and reads the binlog from a server that
 * refuses plain text; with another CA's truststore it does not start, and says why.
 */
class MariaDbCaptureTlsIT {

  private static final SharedTestStack stack = SharedTestStack.get();
  private static LocalMariaDb server;
  private static Path truststore;
  private static Path strangerTruststore;

  @BeforeAll
  static void startServerWithTls() throws Exception {
    Path dir = stack.newDir("tls-mariadb");
    Path keystore = dir.resolve("server.p12");
    Path ca = dir.resolve("server-ca.crt");
    TestCertificates.selfSigned(keystore, ca);
    Path key = dir.resolve("server.key");
    TestCertificates.privateKeyPem(keystore, key);
    truststore = dir.resolve("agency-ca.p12");
    TestCertificates.truststore(ca, truststore);
    Path strangerCa = dir.resolve("stranger-ca.crt");
    TestCertificates.selfSigned(dir.resolve("stranger.p12"), strangerCa);
    strangerTruststore = dir.resolve("stranger-ca.p12");
    TestCertificates.truststore(strangerCa, strangerTruststore);
    server = LocalMariaDb.start(dir.resolve("mariadb"), 0, new ServerTls(ca, key));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theServerRefusesAClientWithoutTls() {
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(server.jdbcUrl(""), server.user(), server.password())
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("require_secure_transport");
  }

  @Test
  void capturesSnapshotAndBinlogOverVerifiedTls() throws Exception {
    String agency = stack.uniqueName("tls_bhyt");
    prepare(agency);
    String topic = DebeziumCapture.rawTopic(agency, "the");

    try (DebeziumCapture capture = start(agency, truststore, 5501)) {
      capture.awaitStarted(Duration.ofSeconds(90));
      sql(agency, "INSERT INTO the VALUES (2, 'Trần Thị Bình')");
      // The snapshot's row (JDBC) and the insert (the binlog client's own connection).
      Captures.await(() -> capture.captured(topic) >= 2, capture, "the snapshot and the insert");
      assertThat(capture.captured(topic)).isEqualTo(2);
    }
  }

  @Test
  void aServerCertificateFromAnotherCaStopsTheCaptureWithItsReason() throws Exception {
    String agency = stack.uniqueName("tls_bhyt_stranger");
    prepare(agency);

    try (DebeziumCapture capture = start(agency, strangerTruststore, 5502)) {
      assertThatThrownBy(() -> capture.awaitStarted(Duration.ofSeconds(90)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stopped before starting")
          .hasStackTraceContaining("the connector refuses its configuration")
          .hasStackTraceContaining("certificate");
      assertThat(capture.capturedPerTopic()).isEmpty();
    }
  }

  private static void prepare(String database) throws SQLException {
    server.createDatabaseIfMissing(database);
    sql(
        database,
        "CREATE TABLE the (id int PRIMARY KEY, holder varchar(100))",
        "INSERT INTO the VALUES (1, 'Nguyễn Văn An')");
  }

  private static DebeziumCapture start(String agency, Path trust, int serverId) {
    Path work = stack.newDir("capture-" + agency);
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
    p.setProperty("name", agency);
    p.setProperty("topic.prefix", agency);
    p.setProperty("database.hostname", server.host());
    p.setProperty("database.port", Integer.toString(server.port()));
    p.setProperty("database.user", server.user());
    p.setProperty("database.password", server.password());
    p.setProperty("database.server.id", Integer.toString(serverId));
    p.setProperty("database.ssl.mode", "verify-full");
    p.setProperty("database.ssl.truststore", trust.toString());
    p.setProperty("database.ssl.truststore.password", TestCertificates.PASSWORD);
    p.setProperty("database.include.list", agency);
    p.setProperty("table.include.list", agency + ".the");
    p.setProperty("snapshot.mode", "initial");
    p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
    p.setProperty("schema.history.internal.file.filename", work.resolve("history.dat").toString());
    p.setProperty("include.schema.changes", "false");
    p.setProperty("poll.interval.ms", "50");
    p.setProperty("offset.storage.file.filename", work.resolve("offsets.dat").toString());
    return Captures.start(agency, p);
  }

  private static void sql(String database, String... statements) throws SQLException {
    try (Connection c = server.connect(database);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
