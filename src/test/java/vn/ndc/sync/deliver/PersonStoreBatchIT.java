package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.SharedTestStack;

/**
 * The store's batches against a real PostgreSQL: a batch reduced to one record per row, staged and
 * upserted in one statement, leaves the tables exactly as upserting every record one by one would;
 * values survive the COPY text format as given, and a broken session is replaced.
 */
class PersonStoreBatchIT {

  private static final long SEED = new Random().nextLong();
  private static LocalPostgres postgres;
  private static String database;

  @BeforeAll
  static void store() {
    SharedTestStack stack = SharedTestStack.get();
    postgres = stack.postgres();
    database = stack.uniqueName("store_batch");
    postgres.createDatabaseIfMissing(database);
    NdcStore.ensureSchema(postgres.jdbcUrl(database), postgres.user(), postgres.password());
  }

  @Test
  void aReducedBatchLeavesTheSourceRowsAsOneByOneUpsertsWould() throws Exception {
    assertRandomRounds(Table.SOURCE, 40, (round, row) -> "row:" + round + "-" + row);
  }

  @Test
  void aReducedBatchLeavesTheMergedPersonsAsOneByOneUpsertsWould() throws Exception {
    assertRandomRounds(Table.MERGED, 20, (round, row) -> String.format("0010%02d%06d", round, row));
  }

  /** A store table with the sink's upsert, binder and batch rule for it. */
  private enum Table {
    SOURCE(NdcTables.PERSON_SOURCE, PersonStoreSink.UPSERT_SOURCE, PersonStoreSink.Rows.SOURCE),
    MERGED(NdcTables.PERSON, PersonStoreSink.UPSERT_PERSON, PersonStoreSink.Rows.MERGED);

    final String name;
    final StagedUpsert<Person> upsert;
    final PersonStoreSink.Rows rows;

    Table(String name, StagedUpsert<Person> upsert, PersonStoreSink.Rows rows) {
      this.name = name;
      this.upsert = upsert;
      this.rows = rows;
    }
  }

  /** The person key of row {@code row} in round {@code round}. */
  private interface KeyOf {
    String key(int round, int row);
  }

  /**
   * Rounds of six rows, each perhaps present before the batch and given zero to four random
   * versions in it.
   */
  private static void assertRandomRounds(Table table, int rounds, KeyOf keyOf) throws SQLException {
    Random random = new Random(SEED);
    for (int round = 0; round < rounds; round++) {
      List<Person> before = new ArrayList<>();
      List<Person> batch = new ArrayList<>();
      for (int row = 0; row < 6; row++) {
        String key = keyOf.key(round, row);
        if (random.nextBoolean()) {
          before.add(version(key, random));
        }
        for (int n = random.nextInt(5); n > 0; n--) {
          batch.add(version(key, random));
        }
      }
      assertSameRows(table, before, batch, "seed " + SEED + ", round " + round);
    }
  }

  @Test
  void withoutTheReductionABatchFailsOnARowItTouchesTwiceAndLeavesNothingStaged() throws Exception {
    Person first = version("row:twice", 1, Link.NONE, Instant.parse("2026-11-24T01:00:00Z"));
    Person second = version("row:twice", 2, Link.NONE, Instant.parse("2026-11-24T01:00:01Z"));
    try (Connection c = connect()) {
      clear(c, Table.SOURCE.name);
      assertThatThrownBy(() -> execute(c, Table.SOURCE, List.of(first, second)))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("cannot affect row a second time");
      // The failed batch was rolled back with its stage: the next batch on the session applies.
      execute(c, Table.SOURCE, List.of(second));
      assertThat(rows(c, Table.SOURCE.name)).hasSize(1).first().asString().contains("lsn=2");
    }
  }

  @Test
  void valuesWithSeparatorsQuotesAndBackslashesAreStoredAsGiven() throws Exception {
    String odd = "Lê \\ \"Tèo\"\tB\nC\r {x,y} \\N";
    Instant ingest = Instant.parse("2026-11-24T02:00:00.123Z");
    Person person =
        Person.newBuilder(version("001099000001", 1, Link.PERSONAL_ID, ingest))
            .setFullName(odd)
            .setPermanentAddress(
                vn.ndc.sync.avro.Address.newBuilder()
                    .setProvinceCode("01")
                    .setOriginalText(odd)
                    .build())
            .setSources(List.of("civil-registry", odd))
            .setDateOfBirth(java.time.LocalDate.of(1900, 1, 1))
            .build();
    try (Connection c = connect()) {
      clear(c, Table.MERGED.name);
      execute(c, Table.MERGED, List.of(person));
      try (PreparedStatement st =
          c.prepareStatement(
              "SELECT full_name, permanent_address_text, sources, date_of_birth, ingest_time"
                  + " FROM "
                  + Table.MERGED.name
                  + " WHERE person_key = ?")) {
        st.setString(1, person.getPersonKey());
        try (ResultSet rs = st.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo(odd);
          assertThat(rs.getString(2)).isEqualTo(odd);
          assertThat((String[]) rs.getArray(3).getArray()).containsExactly("civil-registry", odd);
          assertThat(rs.getObject(4, java.time.LocalDate.class))
              .isEqualTo(java.time.LocalDate.of(1900, 1, 1));
          assertThat(rs.getTimestamp(5).toInstant()).isEqualTo(ingest);
        }
      }
    }
  }

  @Test
  void aBatchRetriesOnANewConnectionAfterTheStoreDroppedItsSession() throws Exception {
    PersonStoreSink.Settings store =
        new PersonStoreSink.Settings(
            postgres.jdbcUrl(database), postgres.user(), postgres.password(), 10, 0);
    try (var batches = new RecoverableJdbcSink.StoreBatches<>(store, Table.SOURCE.upsert, 2);
        Connection c = connect()) {
      clear(c, Table.SOURCE.name);
      batches.write(List.of(version("row:r1", 1, Link.NONE, Instant.now())));
      try (Statement st = c.createStatement()) {
        // Every other session on the store's database: the sink's.
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
      }
      batches.write(List.of(version("row:r2", 1, Link.NONE, Instant.now())));
      assertThat(rows(c, Table.SOURCE.name)).hasSize(2);
    }
  }

  @Test
  void aBatchTheStoreCannotTakeFailsAfterItsRetriesNamingTheTable() {
    PersonStoreSink.Settings unreachable =
        new PersonStoreSink.Settings(
            "jdbc:postgresql://127.0.0.1:1/ndc?connectTimeout=1", "postgres", null, 10, 0);
    var batches = new RecoverableJdbcSink.StoreBatches<>(unreachable, Table.SOURCE.upsert, 1);
    assertThatThrownBy(() -> batches.write(List.of(version("row:r1", 1, Link.NONE, Instant.now()))))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("1 rows to ndc.person_source failed 2 times")
        .hasCauseInstanceOf(SQLException.class);
    batches.close();
  }

  private static void assertSameRows(
      Table table, List<Person> before, List<Person> batch, String what) throws SQLException {
    try (Connection c = connect()) {
      clear(c, table.name);
      execute(c, table, before);
      for (Person p : batch) {
        execute(c, table, List.of(p));
      }
      List<String> oneByOne = rows(c, table.name);

      clear(c, table.name);
      execute(c, table, before);
      LatestPerRow<Person> reduced = new LatestPerRow<>(table.rows);
      batch.forEach(reduced::add);
      execute(c, table, reduced.drain());
      assertThat(rows(c, table.name)).as(what).isEqualTo(oneByOne);
    }
  }

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", postgres.user());
    p.setProperty("password", postgres.password());
    Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), p);
    c.setAutoCommit(false);
    return c;
  }

  /** One batch as the sink applies it: staged, then upserted, in one transaction. */
  private static void execute(Connection c, Table table, List<Person> records) throws SQLException {
    try (var session = table.upsert.open(c)) {
      session.apply(records);
    }
  }

  private static void clear(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("TRUNCATE " + table);
    }
    c.commit();
  }

  /** Every column but the time of the write, row by row. */
  private static List<String> rows(Connection c, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY person_key")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          if (!rs.getMetaData().getColumnName(i).equals("synced_at")) {
            row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i));
            row.append(' ');
          }
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** The links a version of a row may carry. */
  private enum Link {
    NONE,
    DEMOGRAPHIC,
    PERSONAL_ID,
    WITHDRAWN
  }

  private static int ingestSequence;

  /** One of three versions of a row, with one of the links, ingested at a time of its own. */
  private static Person version(String key, Random random) {
    return version(
        key,
        1 + random.nextInt(3),
        Link.values()[random.nextInt(Link.values().length)],
        Instant.parse("2026-11-24T00:00:00Z").plusSeconds(ingestSequence++));
  }

  private static Person version(String key, int version, Link link, Instant ingest) {
    Instant commit = Instant.parse("2026-11-23T00:00:00Z").plusSeconds(version);
    Person.Builder p =
        Person.newBuilder()
            .setPersonKey(key)
            // The content is the version's: one version of a row is one source change.
            .setFullName("Nguyễn Văn An " + version)
            .setPhone("09120000" + version + version)
            .setDeleted(false)
            .setLineage(
                Lineage.newBuilder()
                    .setSourceAgency("land-registry")
                    .setSourceDatabase("land_registry")
                    .setSourceTable("public.chu_su_dung")
                    .setOperation("u")
                    .setSourcePosition("lsn=" + version)
                    .setSourceVersion(version)
                    .setSourceCommitTime(commit)
                    .setIngestTime(ingest)
                    .setSchemaVersion("1")
                    .build());
    switch (link) {
      case NONE -> {}
      case DEMOGRAPHIC -> p.setPersonalId("079198042616").setMatchMethod(MatchMethod.DEMOGRAPHIC);
      case PERSONAL_ID -> p.setPersonalId("001090123456").setMatchMethod(MatchMethod.PERSONAL_ID);
      case WITHDRAWN ->
          p.setPersonalId("079198042616").setMatchMethod(MatchMethod.DEMOGRAPHIC).setDeleted(true);
    }
    if (key.matches("\\d{12}")) {
      // A merged person is keyed by its personal ID and always carries it.
      p.setPersonalId(key).setSources(List.of("land-registry"));
      if (p.getMatchMethod() == null) {
        p.setMatchMethod(MatchMethod.PERSONAL_ID);
      }
    }
    return p.build();
  }
}
