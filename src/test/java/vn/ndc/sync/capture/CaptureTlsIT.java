package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.local.SharedTestStack;

/**
 * An agency PostgreSQL reached over verified TLS: with {@code database.sslmode=verify-full} and the
 * agency's CA, the capture snapshots and streams from a server that refuses plain text; with a CA
 * that did not sign the server's certificate, it does not start.
 */
class CaptureTlsIT {

  private static final SharedTestStack stack = SharedTestStack.get();
  private static SharedTestStack.TlsPostgres tls;

  @BeforeAll
  static void tlsServer() {
    tls = stack.tlsPostgres();
  }

  @Test
  void capturesOverVerifiedTls() throws Exception {
    String agency = stack.uniqueName("tls_agency");
    String db = prepare(agency);
    String topic = DebeziumCapture.rawTopic(agency, "citizen");

    try (DebeziumCapture capture = start(agency, db, tls.ca())) {
      capture.awaitStarted(Duration.ofSeconds(60));
      sql(db, "INSERT INTO citizen VALUES (2, 'Trần Thị Bình')");
      // The snapshot's row (JDBC connection) and the insert (replication connection).
      Captures.await(() -> capture.captured(topic) >= 2, capture, "the snapshot and the insert");
      assertThat(capture.captured(topic)).isEqualTo(2);
    }
  }

  @Test
  void aServerCertificateFromAnotherCaStopsTheCaptureBeforeItReadsAnything() throws Exception {
    String agency = stack.uniqueName("tls_stranger");
    String db = prepare(agency);

    try (DebeziumCapture capture = start(agency, db, tls.strangerCa())) {
      assertThatThrownBy(() -> capture.awaitStarted(Duration.ofSeconds(60)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stopped before starting")
          // The reason, not Debezium 3.5's NoSuchMethodError on Connect 4 (ConnectorValidation).
          .hasStackTraceContaining("the connector refuses its configuration")
          .hasStackTraceContaining("SSL error");
      assertThat(capture.capturedPerTopic()).isEmpty();
    }
  }

  private static String prepare(String agency) throws SQLException {
    String db = agency + "_db";
    tls.server().createDatabaseIfMissing(db);
    sql(
        db,
        "CREATE TABLE citizen (id int PRIMARY KEY, full_name text)",
        "INSERT INTO citizen VALUES (1, 'Nguyễn Văn An')");
    return db;
  }

  private static DebeziumCapture start(String agency, String db, Path ca) {
    Properties p = Captures.postgres(agency, tls.server(), db);
    p.setProperty("database.sslmode", "verify-full");
    p.setProperty("database.sslrootcert", ca.toString());
    p.setProperty("table.include.list", "public.citizen");
    return Captures.start(agency, p);
  }

  private static void sql(String db, String... statements) throws SQLException {
    try (Connection c = tls.server().connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
