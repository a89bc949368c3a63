package vn.ndc.sync.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.VietnamesePeople;

/**
 * The ceiling: a bare pgoutput logical replication reader that decodes every insert message
 * (relation id, then each column as text) with nothing downstream.
 */
final class PgOutputCeiling {

  private static final String PUBLICATION = "bench_ceiling";

  private final LocalPostgres postgres;
  private final int txRows;

  PgOutputCeiling(LocalPostgres postgres, int txRows) {
    this.postgres = postgres;
    this.txRows = txRows;
  }

  /**
   * Creates a fresh table and slot, commits {@code rows} inserts, then reads the slot from its
   * start until every insert is decoded; returns decoded rows per second.
   */
  double run(String database, long rows, long seed) throws SQLException {
    BenchTable.recreate(postgres, database);
    try (Connection c = postgres.connect(database);
        Statement st = c.createStatement()) {
      st.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE " + BenchTable.TABLE);
      st.execute("SELECT pg_create_logical_replication_slot('" + database + "', 'pgoutput')");
      BenchTable.insert(c, new VietnamesePeople(seed), rows, txRows);
    }
    try {
      return read(database, rows);
    } finally {
      BenchTable.drop(postgres, database);
    }
  }

  private double read(String database, long rows) throws SQLException {
    Properties props = new Properties();
    PGProperty.USER.set(props, postgres.user());
    PGProperty.PASSWORD.set(props, postgres.password());
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
    PGProperty.REPLICATION.set(props, "database");
    PGProperty.PREFER_QUERY_MODE.set(props, "simple");
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), props)) {
      PGConnection replication = c.unwrap(PGConnection.class);
      long start = System.nanoTime();
      PGReplicationStream stream =
          replication
              .getReplicationAPI()
              .replicationStream()
              .logical()
              .withSlotName(database)
              .withSlotOption("proto_version", "1")
              .withSlotOption("publication_names", PUBLICATION)
              .withStatusInterval(10, TimeUnit.SECONDS)
              .start();
      long inserts = 0;
      long checksum = 0;
      while (inserts < rows) {
        ByteBuffer message = stream.read();
        if (message.get() != 'I') {
          continue;
        }
        checksum += decodeInsert(message);
        inserts++;
        if (inserts % 100_000 == 0) {
          stream.setAppliedLSN(stream.getLastReceiveLSN());
          stream.setFlushedLSN(stream.getLastReceiveLSN());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      stream.close();
      if (checksum == 0) {
        throw new IllegalStateException("decoded inserts carried no column data");
      }
      return inserts / seconds;
    }
  }

  /** Decodes one pgoutput Insert message body (after its type byte); returns the text length. */
  private static long decodeInsert(ByteBuffer m) {
    m.getInt(); // relation id
    m.get(); // 'N': a new tuple follows
    int columns = m.getShort();
    long length = 0;
    for (int i = 0; i < columns; i++) {
      byte kind = m.get();
      if (kind == 't' || kind == 'b') {
        int n = m.getInt();
        String value =
            new String(m.array(), m.arrayOffset() + m.position(), n, StandardCharsets.UTF_8);
        m.position(m.position() + n);
        length += value.length();
      }
    }
    return length;
  }
}
