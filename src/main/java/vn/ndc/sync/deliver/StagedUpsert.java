package vn.ndc.sync.deliver;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A batch upsert into one store table in two statements: the batch is copied into a temporary stage
 * table of the session ({@code COPY ... FROM STDIN}), then one {@code INSERT ... SELECT ... ON
 * CONFLICT DO UPDATE ... WHERE guard} applies it. The batch must hold at most one record per
 * conflict key (see {@link LatestPerRow}); the stage empties itself at every commit.
 */
final class StagedUpsert<IN> implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Writes one record's columns, in {@link #columns} order, as one row. */
  interface Encoder<IN> extends Serializable {
    void encode(CopyText row, IN record);
  }

  private final String table;
  private final List<String> columns;
  private final String conflict;
  private final String set;
  private final String guard;
  private final Encoder<IN> encoder;

  /**
   * @param columns the columns each record fills; the table's {@code synced_at} is set by the
   *     store's clock when it applies the row
   * @param conflict the conflict key's columns, comma-separated
   * @param set the {@code DO UPDATE SET} list
   * @param guard when a row already there takes the staged version
   */
  StagedUpsert(
      String table,
      List<String> columns,
      String conflict,
      String set,
      String guard,
      Encoder<IN> encoder) {
    this.table = table;
    this.columns = List.copyOf(columns);
    this.conflict = conflict;
    this.set = set;
    this.guard = guard;
    this.encoder = encoder;
  }

  String table() {
    return table;
  }

  /** The stage: the table's columns without its constraints, private to the session. */
  String stage() {
    return "ndc_stage_" + table.substring(table.indexOf('.') + 1);
  }

  String upsertSql() {
    String names = String.join(", ", columns);
    return "INSERT INTO "
        + table
        + " ("
        + names
        + ", synced_at) SELECT "
        + names
        + ", clock_timestamp() FROM "
        + stage()
        + " ON CONFLICT ("
        + conflict
        + ") DO UPDATE SET "
        + set
        + " WHERE "
        + guard;
  }

  void encode(CopyText rows, IN record) {
    encoder.encode(rows, record);
    rows.endRow();
  }

  /** Prepares a connection (auto-commit off) for batches: its stage and upsert statement. */
  Session open(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute(
          "CREATE TEMPORARY TABLE IF NOT EXISTS "
              + stage()
              + " ON COMMIT DELETE ROWS AS SELECT "
              + String.join(", ", columns)
              + " FROM "
              + table
              + " WITH NO DATA");
    }
    connection.commit();
    return new Session(connection, connection.prepareStatement(upsertSql()));
  }

  /** One connection's stage and statement; it does not own the connection. */
  final class Session implements AutoCloseable {

    private final Connection connection;
    private final PreparedStatement upsert;
    private final String copySql;
    private final CopyText rows = new CopyText();

    private Session(Connection connection, PreparedStatement upsert) {
      this.connection = connection;
      this.upsert = upsert;
      this.copySql = "COPY " + stage() + " (" + String.join(", ", columns) + ") FROM STDIN";
    }

    /**
     * Encodes and applies the records in one transaction; on failure it is rolled back, so the same
     * records may be applied again.
     */
    void apply(List<IN> records) throws SQLException {
      if (records.isEmpty()) {
        return;
      }
      rows.clear();
      for (IN record : records) {
        encode(rows, record);
      }
      try {
        byte[] bytes = rows.content().toString().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
          copy.writeToCopy(bytes, 0, bytes.length);
          copy.endCopy();
        } finally {
          if (copy.isActive()) {
            copy.cancelCopy();
          }
        }
        upsert.executeUpdate();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }

    @Override
    public void close() throws SQLException {
      upsert.close();
    }
  }
}
