package vn.ndc.sync.standardize;

import org.apache.avro.generic.GenericRecord;

/**
 * A change's position in its source log: readable text for lineage and a long that orders changes
 * of one source.
 */
public record SourcePosition(String text, long version) {

  /** Reads the position from a Debezium {@code source} block of the given connector type. */
  public static SourcePosition of(String connector, GenericRecord source) {
    return of(connector, source, null);
  }

  /**
   * Reads the position from a Debezium {@code source} block and, for binlog connectors, the
   * envelope's {@code transaction} block (null when the connector does not provide transaction
   * metadata).
   *
   * <p>Why the transaction block: a binlog connector reports as {@code pos} the position of the
   * transaction's first event, and {@code row} only counts rows within one event, so two changes of
   * one row in one transaction (an insert then a delete) would carry the same position and the
   * store could not order them. The transaction's {@code total_order} (1, 2, ... per change in the
   * transaction) breaks the tie; binlog connectors must set {@code provide.transaction.metadata}.
   */
  public static SourcePosition of(
      String connector, GenericRecord source, GenericRecord transaction) {
    if ("postgresql".equals(connector)) {
      long lsn = DebeziumEnvelope.number(source, "lsn", 0L);
      return new SourcePosition("lsn=" + formatLsn(lsn), lsn);
    }
    String file = DebeziumEnvelope.text(source, "file");
    if (file != null) {
      long pos = DebeziumEnvelope.number(source, "pos", 0L);
      long row = DebeziumEnvelope.number(source, "row", 0L);
      long order =
          transaction == null ? -1 : DebeziumEnvelope.number(transaction, "total_order", -1L);
      String gtid = DebeziumEnvelope.text(source, "gtid");
      String text =
          "binlog="
              + file
              + ":"
              + pos
              + "#"
              + row
              + (order < 0 ? "" : " order=" + order)
              + (gtid == null ? "" : " gtid=" + gtid);
      return new SourcePosition(text, binlogVersion(file, pos, order < 0 ? row : order));
    }
    long ts = DebeziumEnvelope.number(source, "ts_ms", 0L);
    return new SourcePosition("ts=" + ts, ts);
  }

  /** PostgreSQL's own notation for an LSN: high and low 32 bits in hex. */
  public static String formatLsn(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase()
        + "/"
        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }

  /**
   * Packs binlog file index, offset and the order within the transaction (or the row within the
   * event) into one ordered, positive long: 17 bits of file index, 32 bits of offset, 14 bits of
   * order (a larger order saturates: only changes beyond the 16,383rd of one transaction tie).
   */
  static long binlogVersion(String file, long pos, long order) {
    int dot = file.lastIndexOf('.');
    long index = dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
    return ((index & 0x1FFFFL) << 46)
        | ((pos & 0xFFFFFFFFL) << 14)
        | Math.max(0, Math.min(order, 0x3FFFL));
  }
}
