package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.config.K8sManifests;
import vn.ndc.sync.config.PsqlScript;
import vn.ndc.sync.enrich.TestRecords;
import vn.ndc.sync.local.LocalPostgres;

/**
 * Who may do what in the NDC store, set up as the Kubernetes deployment does it (the init script of
 * {@code k8s/postgres/ndc-postgres.yaml}, run on a server of its own): the job prepares and writes
 * the store as a role that is no superuser; an analyst reads only views that leave out the
 * sensitive fields and show pseudonyms in place of identifiers; the server logs who read what.
 */
class StoreAccessIT {

  private static final String JOB_USER = "ndc_sync";
  private static final String ANALYST = "analyst_lan";
  private static final String CITIZEN = "001090012345";
  private static final String FORMER_ID = "012345678";
  private static final String ETHNICITY = "Tày";

  @TempDir static Path dir;
  private static LocalPostgres server;
  private static PersonStoreSink.Settings store;

  @BeforeAll
  static void serverSetUpAsInKubernetes() throws Exception {
    server = LocalPostgres.start(dir.resolve("ndc-postgres"), 0);
    server.createDatabaseIfMissing("ndc");
    String script = K8sManifests.storeAccessScript();
    try (Connection c = server.connect("ndc");
        Statement s = c.createStatement()) {
      PsqlScript.run(c, script, Map.of("job_user", JOB_USER, "job_password", "job-secret"));
      s.execute(
          "CREATE ROLE "
              + ANALYST
              + " LOGIN PASSWORD 'analyst-secret' IN ROLE "
              + NdcTables.ANALYST_ROLE);
    }
    // The log settings take effect once the server has re-read its configuration.
    within(
        Duration.ofSeconds(30),
        () -> assertThat(setting(JOB_USER, "log_line_prefix")).contains("user=%u"));

    store = new PersonStoreSink.Settings(server.jdbcUrl("ndc"), JOB_USER, "job-secret", 100, 10);
    NdcStore.ensureSchema(store.jdbcUrl(), store.user(), store.password());
    Person reported =
        linked(
            TestRecords.person("civil-registry")
                .personalId(CITIZEN)
                .formerId(FORMER_ID)
                .ethnicity(ETHNICITY)
                .name("Hoàng Thị Lan")
                .born("1990-03-04")
                .sourceKey("cr-1")
                .build(),
            MatchMethod.PERSONAL_ID);
    // Another agency's record of the same citizen, keyed by its own row: linked by demographics.
    Person byRow =
        linked(
            Person.newBuilder(
                    TestRecords.person("land-registry")
                        .name("Hoàng Thị Lan")
                        .born("1990-03-04")
                        .sourceKey("lr-7")
                        .build())
                .setPersonalId(CITIZEN)
                .build(),
            MatchMethod.DEMOGRAPHIC);
    Person removed =
        TestRecords.person("land-registry").name("Đã Xoá").sourceKey("lr-8").deleted().build();
    write(PersonStoreSink.UPSERT_SOURCE, List.of(reported, byRow, removed));
    write(PersonStoreSink.UPSERT_PERSON, List.of(reported));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Person linked(Person p, MatchMethod method) {
    return Person.newBuilder(p).setMatchMethod(method).build();
  }

  private static <T> void write(StagedUpsert<T> upsert, List<T> rows) throws Exception {
    try (var batches = new RecoverableJdbcSink.StoreBatches<>(store, upsert, 0)) {
      batches.write(rows);
    }
  }

  private static Connection as(String user) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl("ndc"), user, "any");
  }

  private static String setting(String user, String name) throws SQLException {
    try (Connection c = as(user);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Every row of an analyst's query, each as its column name → value as text. */
  private static List<Map<String, String>> analystReads(String sql) throws SQLException {
    try (Connection c = as(ANALYST);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, String>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, String> row = new HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private interface Check {
    void run() throws Exception;
  }

  /** Runs {@code check} until it passes, failing with its last error after {@code limit}. */
  private static void within(Duration limit, Check check) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** The server log's entries: a statement's continuation lines belong to its entry. */
  private static List<String> logEntries() throws Exception {
    List<String> entries = new ArrayList<>();
    for (String line : Files.readAllLines(server.logFile())) {
      if (line.matches("^\\d{4}-\\d{2}-\\d{2} .*") || entries.isEmpty()) {
        entries.add(line);
      } else {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + "\n" + line);
      }
    }
    return entries;
  }

  @Test
  void theJobPreparesAndWritesTheStoreAsARoleThatIsNoSuperuser() throws Exception {
    try (Connection c = server.connect("ndc");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT r.rolsuper, r.rolcreaterole, n.nspowner::regrole::text,"
                    + " (SELECT count(*) FROM ndc.person_source)"
                    + " FROM pg_roles r, pg_namespace n"
                    + " WHERE r.rolname = '"
                    + JOB_USER
                    + "' AND n.nspname = 'ndc'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("superuser").isFalse();
      assertThat(rs.getBoolean(2)).as("may create roles").isFalse();
      assertThat(rs.getString(3)).as("owner of schema ndc").isEqualTo(JOB_USER);
      assertThat(rs.getLong(4)).isEqualTo(3);
    }
  }

  @Test
  void analystsSeeNoFieldTheDictionaryCallsSensitiveAndNoIdentifier() throws Exception {
    Set<String> withheld = new HashSet<>(Set.of("person_key", "resolved_personal_id"));
    for (Schema.Field f : Person.getClassSchema().getFields()) {
      if ("sensitive".equals(f.getProp("classification"))) {
        withheld.add(f.name().replaceAll("([A-Z])", "_$1").toLowerCase());
      }
    }
    assertThat(withheld).contains("personal_id", "former_id", "ethnicity");

    for (String view : List.of("ndc_analyst.person", "ndc_analyst.person_source")) {
      List<Map<String, String>> rows = analystReads("SELECT * FROM " + view);
      assertThat(rows).as(view).isNotEmpty();
      assertThat(rows.get(0).keySet()).as(view).doesNotContainAnyElementsOf(withheld);
      assertThat(rows.get(0)).as(view).containsKeys("person_ref", "full_name", "source_position");
      assertThat(rows.toString())
          .as(view)
          .doesNotContain(CITIZEN)
          .doesNotContain(FORMER_ID)
          .doesNotContain(ETHNICITY);
    }
  }

  @Test
  void pseudonymsJoinTheViewsHideDeletedRowsAndStayTheSameAcrossJobStarts() throws Exception {
    List<Map<String, String>> persons = analystReads("SELECT person_ref FROM ndc_analyst.person");
    assertThat(persons).hasSize(1);
    String ref = persons.get(0).get("person_ref");
    assertThat(ref).matches("[0-9a-f]{64}");
    assertThat(Pseudonyms.ofStore(store).of(CITIZEN))
        .as("the job's pseudonyms (the analysts' topic) are the views'")
        .isEqualTo(ref);

    List<Map<String, String>> records =
        analystReads(
            "SELECT source_agency, record_ref, person_ref FROM ndc_analyst.person_source"
                + " ORDER BY source_agency");
    assertThat(records)
        .as("the deleted record is not shown")
        .extracting(r -> r.get("source_agency"))
        .containsExactly("civil-registry", "land-registry");
    assertThat(records).allSatisfy(r -> assertThat(r.get("person_ref")).isEqualTo(ref));
    assertThat(records.get(1).get("record_ref")).matches("[0-9a-f]{64}").isNotEqualTo(ref);

    // Keyed: not the bare hash of the personal ID, which anyone could compute from a guess.
    try (Connection c = as(ANALYST);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT encode(sha256(convert_to('" + CITIZEN + "', 'UTF8')), 'hex')")) {
      rs.next();
      assertThat(rs.getString(1)).isNotEqualTo(ref);
    }

    NdcStore.ensureSchema(store.jdbcUrl(), store.user(), store.password());
    assertThat(analystReads("SELECT person_ref FROM ndc_analyst.person"))
        .extracting(r -> r.get("person_ref"))
        .containsExactly(ref);
  }

  @Test
  void analystsCannotReadTheTablesOrThePseudonymKey() {
    for (String table : List.of("ndc.person", "ndc.person_source", "ndc.pseudonym_key")) {
      assertThatThrownBy(() -> analystReads("SELECT * FROM " + table))
          .as(table)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void theServerLogsWhoReadWhatButNotTheJobsWrites() throws Exception {
    String query = "SELECT full_name FROM ndc_analyst.person /* audit-check */";
    String refused = "SELECT personal_id FROM ndc.person /* audit-check */";
    analystReads(query);
    assertThatThrownBy(() -> analystReads(refused)).isInstanceOf(SQLException.class);

    within(
        Duration.ofSeconds(30),
        () ->
            assertThat(logEntries())
                .anySatisfy(
                    e ->
                        assertThat(e)
                            .contains("user=" + ANALYST + " db=ndc")
                            .containsPattern("LOG: +(statement|execute <unnamed>): ")
                            .contains(query)));
    // PostgreSQL logs a refused statement as an ERROR entry followed by its STATEMENT entry.
    List<String> entries = logEntries();
    assertThat(
            java.util.stream.IntStream.range(1, entries.size())
                .filter(
                    i ->
                        entries.get(i - 1).contains("user=" + ANALYST + " db=ndc")
                            && entries.get(i - 1).contains("ERROR:  permission denied")
                            && entries.get(i).contains("STATEMENT:  " + refused)))
        .as("a refused read is logged with its error")
        .isNotEmpty();
    List<String> jobEntries =
        logEntries().stream().filter(e -> e.contains("user=" + JOB_USER + " ")).toList();
    assertThat(jobEntries)
        .as("the job's schema changes are logged")
        .anySatisfy(e -> assertThat(e).contains("CREATE SCHEMA IF NOT EXISTS ndc"));
    assertThat(jobEntries)
        .as("the job's writes are not")
        .noneSatisfy(e -> assertThat(e).containsPattern("INSERT INTO|COPY "));
    assertThat(setting(ANALYST, "log_statement")).isEqualTo("all");
  }
}
