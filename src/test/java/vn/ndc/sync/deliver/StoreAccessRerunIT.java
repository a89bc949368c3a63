package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.config.K8sManifests;
import vn.ndc.sync.config.PsqlScript;
import vn.ndc.sync.enrich.TestRecords;
import vn.ndc.sync.local.LocalPostgres;

/**
 * The store's access script run again on a server that is already in use, as Job {@code
 * ndc-store-access} does: on a store the job prepared and wrote as the superuser before it had a
 * role of its own, and to give that role a new password.
 */
class StoreAccessRerunIT {

  private static final String JOB_USER = "ndc_sync";

  @TempDir static Path dir;
  private static LocalPostgres server;

  @BeforeAll
  static void start() {
    server = LocalPostgres.start(dir.resolve("ndc-postgres"), 0);
    server.createDatabaseIfMissing("ndc");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void runAccessScript(String password) throws Exception {
    String script = K8sManifests.storeAccessScript();
    // A session of its own, as the Job's psql: the database's log settings apply from its start.
    try (Connection c = server.connect("ndc")) {
      PsqlScript.run(c, script, Map.of("job_user", JOB_USER, "job_password", password));
    }
  }

  private static PersonStoreSink.Settings store(String user, String password) {
    return new PersonStoreSink.Settings(server.jdbcUrl("ndc"), user, password, 100, 10);
  }

  private static void prepareAndWrite(PersonStoreSink.Settings store, String sourceKey)
      throws Exception {
    NdcStore.ensureSchema(store.jdbcUrl(), store.user(), store.password());
    Person p = TestRecords.person("civil-registry").name("Lê Văn Tám").sourceKey(sourceKey).build();
    try (var batches =
        new RecoverableJdbcSink.StoreBatches<>(store, PersonStoreSink.UPSERT_SOURCE, 0)) {
      batches.write(List.of(p));
    }
  }

  private static List<String> query(String sql) throws SQLException {
    try (Connection c = server.connect("ndc");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  private static String storedPassword() throws SQLException {
    return query("SELECT rolpassword FROM pg_authid WHERE rolname = '" + JOB_USER + "'").get(0);
  }

  @Test
  void aStoreTheSuperuserPreparedPassesToTheJobsRoleAndANewPasswordTakes() throws Exception {
    prepareAndWrite(store(server.user(), server.password()), "before-1");

    runAccessScript("first-secret");

    assertThat(
            query(
                "SELECT n.nspname || '.' || coalesce(c.relname, '') FROM pg_namespace n"
                    + " LEFT JOIN pg_class c ON c.relnamespace = n.oid"
                    + "  AND c.relkind IN ('r', 'v', 'S') AND c.relowner::regrole::text <> '"
                    + JOB_USER
                    + "' WHERE n.nspname IN ('ndc', 'ndc_analyst')"
                    + "  AND (n.nspowner::regrole::text <> '"
                    + JOB_USER
                    + "' OR c.oid IS NOT NULL)"))
        .as("schemas, tables and views not owned by the job's role")
        .isEmpty();
    assertThat(
            query(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = 'ndc' AND c.relkind = 'r'"))
        .as("the store's tables are there to be owned")
        .containsExactly("3");
    assertThat(query("SELECT rolsuper::text FROM pg_roles WHERE rolname = '" + JOB_USER + "'"))
        .containsExactly("false");
    assertThat(query("SELECT rolname FROM pg_roles WHERE rolname = 'ndc_analyst'")).hasSize(1);
    String first = storedPassword();
    assertThat(first).startsWith("SCRAM-SHA-256$");

    // The job, restarted as its own role, alters the store and writes beside the earlier rows.
    PersonStoreSink.Settings job = store(JOB_USER, "first-secret");
    prepareAndWrite(job, "after-1");
    assertThat(query("SELECT count(*) FROM ndc.person_source")).containsExactly("2");
    assertThat(Pseudonyms.ofStore(job).of("001090012345")).matches("[0-9a-f]{64}");

    runAccessScript("second-secret");

    assertThat(storedPassword()).startsWith("SCRAM-SHA-256$").isNotEqualTo(first);
    prepareAndWrite(store(JOB_USER, "second-secret"), "after-2");
    assertThat(query("SELECT count(*) FROM ndc.person_source")).containsExactly("3");
    // The second run's session was opened under log_statement = all (set by the first run).
    assertThat(Files.readString(server.logFile()))
        .contains("user=" + server.user() + " db=ndc")
        .doesNotContain("first-secret")
        .doesNotContain("second-secret");
  }
}
