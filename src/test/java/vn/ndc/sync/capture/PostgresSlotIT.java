package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.testing.TestConnectors;

/**
 * The civil-registry connector exactly as shipped (connector.properties, demo-source.sql,
 * source-setup.sql) on a database of its own: it runs as the least-privileged role the setup
 * creates, its heartbeat keeps the slot's confirmed position moving while only uncaptured tables
 * write WAL, and a restart reuses the slot and the offsets without a new snapshot.
 */
class PostgresSlotIT {

  private static final Path AGENCY = TestConnectors.PROJECT_CONNECTORS.resolve("civil-registry");

  private final SharedTestStack stack = SharedTestStack.get();

  @Test
  void leastPrivilegedCaptureWithBoundedSlotReusedOnRestart() throws Exception {
    String db = stack.uniqueName("slot");
    String agency = stack.uniqueName("slot-agency").replace('_', '-');
    String slot = stack.uniqueName("ndc_slot");
    stack.postgres().createDatabaseIfMissing(db);
    runFile(db, AGENCY.resolve("demo-source.sql"));
    runFile(db, AGENCY.resolve(LocalPipeline.SOURCE_SETUP));
    sql(
        db,
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh)"
            + " VALUES ('001090000001', 'Lê Văn Một', '01/01/1990'),"
            + " ('001090000002', 'Lê Văn Hai', '02/01/1990')",
        "CREATE TABLE public.nhat_ky (id bigserial PRIMARY KEY, noi_dung text)");

    assertThat(
            query(
                db,
                "SELECT rolsuper::text, rolreplication::text, rolcreatedb::text FROM pg_roles"
                    + " WHERE rolname = '"
                    + LocalPipeline.CDC_ROLE
                    + "'"))
        .containsExactly("false", "true", "false");
    assertThat(
            query(
                db,
                "SELECT has_database_privilege('ndc_cdc', current_database(), 'CREATE')::text,"
                    + " has_schema_privilege('ndc_cdc', 'public', 'CREATE')::text,"
                    + " has_table_privilege('ndc_cdc', 'public.nhan_khau', 'INSERT')::text"))
        .containsExactly("false", "false", "false");
    assertThat(
            column(
                db,
                "SELECT tablename FROM pg_publication_tables WHERE pubname = 'ndc_civil_registry'"
                    + " ORDER BY tablename"))
        .containsExactly("ndc_heartbeat", "nhan_khau");

    Path offsets = stack.newDir("slot-offsets").resolve("offsets.dat");
    try {
      captureThenRestart(agency, db, slot, offsets);
    } finally {
      // Slots are a cluster-wide resource of the shared server.
      sql(
          db,
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE slot_name = '"
              + slot
              + "' AND NOT active");
    }
  }

  private void captureThenRestart(String agency, String db, String slot, Path offsets)
      throws Exception {
    String topic = DebeziumCapture.rawTopic(agency, "nhan_khau");
    try (DebeziumCapture capture = start(agency, db, slot, offsets)) {
      Captures.await(() -> capture.captured(topic) >= 2, capture, "snapshot of the 2 rows");
      assertThat(slotUser(db, slot)).isEqualTo(LocalPipeline.CDC_ROLE);
      String confirmedBefore = confirmedFlush(db, slot);

      // Several MB of WAL from a table the connector does not capture.
      sql(
          db,
          "INSERT INTO public.nhat_ky (noi_dung)"
              + " SELECT repeat('không đồng bộ ', 40) FROM generate_series(1, 40000)");
      String written = query(db, "SELECT pg_current_wal_lsn()::text").get(0);
      assertThat(lsnDiff(db, written, confirmedBefore)).isGreaterThan(4L << 20);
      Captures.await(
          () -> lsnDiff(db, confirmedFlush(db, slot), written) >= 0,
          capture,
          "the slot confirmed past the uncaptured WAL (" + written + ")");
      assertThat(capture.captured(topic)).as("nothing captured from nhat_ky").isEqualTo(2);
      assertThat(capture.nonDataSkipped()).as("heartbeats").isPositive();
    }

    sql(db, "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten) VALUES ('001090000003', 'Ba')");
    try (DebeziumCapture again = start(agency, db, slot, offsets)) {
      Captures.await(() -> again.captured(topic) >= 1, again, "the row inserted while stopped");
      sql(db, "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten) VALUES ('001090000004', 'Bốn')");
      Captures.await(() -> again.captured(topic) >= 2, again, "a row inserted after the restart");
      // A new snapshot would have re-sent the 3 rows that existed at the restart.
      assertThat(again.captured(topic)).as("no re-snapshot").isEqualTo(2);
      assertThat(
              column(
                  db, "SELECT slot_name FROM pg_replication_slots WHERE database = '" + db + "'"))
          .containsExactly(slot);
    }
  }

  private DebeziumCapture start(String agency, String db, String slot, Path offsets) {
    Properties props =
        ConnectorConfig.load(
                AGENCY,
                Map.of(
                    "db.host",
                    "127.0.0.1",
                    "db.port",
                    String.valueOf(stack.postgres().port()),
                    "db.user",
                    LocalPipeline.CDC_ROLE,
                    "db.password",
                    "unused"))
            .debeziumProperties();
    props.setProperty("database.dbname", db);
    props.setProperty("slot.name", slot);
    props.setProperty("topic.prefix", agency);
    props.setProperty("name", agency);
    props.setProperty("offset.storage.file.filename", offsets.toString());
    // Many heartbeats in a short test; the shipped interval is 10 s.
    props.setProperty("heartbeat.interval.ms", "300");
    DebeziumCapture capture = Captures.start(agency, props);
    capture.awaitStarted(Duration.ofSeconds(90));
    return capture;
  }

  private String confirmedFlush(String db, String slot) {
    return query(
            db,
            "SELECT coalesce(confirmed_flush_lsn, '0/0')::text FROM pg_replication_slots"
                + " WHERE slot_name = '"
                + slot
                + "'")
        .get(0);
  }

  private String slotUser(String db, String slot) {
    return query(
            db,
            "SELECT usename FROM pg_stat_replication r JOIN pg_replication_slots s"
                + " ON s.active_pid = r.pid WHERE s.slot_name = '"
                + slot
                + "'")
        .get(0);
  }

  private long lsnDiff(String db, String a, String b) {
    return Long.parseLong(
        query(db, "SELECT pg_wal_lsn_diff('" + a + "', '" + b + "')::bigint::text").get(0));
  }

  private void runFile(String db, Path file) throws Exception {
    sql(db, Files.readString(file, StandardCharsets.UTF_8));
  }

  private void sql(String db, String... statements) {
    try (Connection c = stack.postgres().connect(db);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The columns of the first row, as text. */
  private List<String> query(String db, String select) {
    try (Connection c = stack.postgres().connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select)) {
      List<String> out = new ArrayList<>();
      if (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          out.add(rs.getString(i));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row, as text. */
  private List<String> column(String db, String select) {
    try (Connection c = stack.postgres().connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
