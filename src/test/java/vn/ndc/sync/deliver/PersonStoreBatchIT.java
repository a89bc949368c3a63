package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
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
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.SharedTestStack;

/**
 * The store's batches against a real PostgreSQL: a batch reduced to one record per row, sent as
 * multi-row statements, leaves the tables exactly as upserting every record one by one would.
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
    SOURCE(
        NdcTables.PERSON_SOURCE,
        PersonStoreSink.UPSERT_SOURCE,
        PersonStoreSink::bindSourceRecord,
        PersonStoreSink.Rows.SOURCE),
    MERGED(
        NdcTables.PERSON,
        PersonStoreSink.UPSERT_PERSON,
        PersonStoreSink::bindPerson,
        PersonStoreSink.Rows.MERGED);

    final String name;
    final String upsert;
    final JdbcStatementBuilder<Person> binder;
    final PersonStoreSink.Rows rows;

    Table(
        String name,
        String upsert,
        JdbcStatementBuilder<Person> binder,
        PersonStoreSink.Rows rows) {
      this.name = name;
      this.upsert = upsert;
      this.binder = binder;
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
  void withoutTheReductionAMultiRowBatchFailsOnARowItTouchesTwice() throws Exception {
    Person first = version("row:twice", 1, Link.NONE, Instant.parse("2026-11-24T01:00:00Z"));
    Person second = version("row:twice", 2, Link.NONE, Instant.parse("2026-11-24T01:00:01Z"));
    try (Connection c = rewriting()) {
      assertThatThrownBy(() -> execute(c, Table.SOURCE, List.of(first, second)))
          .isInstanceOf(BatchUpdateException.class)
          .hasMessageContaining("cannot affect row a second time");
    }
  }

  private static void assertSameRows(
      Table table, List<Person> before, List<Person> batch, String what) throws SQLException {
    try (Connection c = rewriting()) {
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

  /** A connection that sends a batch as multi-row statements, as the sinks' do. */
  private static Connection rewriting() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", postgres.user());
    p.setProperty("password", postgres.password());
    p.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(postgres.jdbcUrl(database), p);
  }

  private static void execute(Connection c, Table table, List<Person> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(table.upsert)) {
      for (Person p : records) {
        table.binder.accept(st, p);
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static void clear(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("TRUNCATE " + table);
    }
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
