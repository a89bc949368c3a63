package vn.ndc.sync.standardize;

import org.apache.avro.generic.GenericRecord;

/**
 * A change's position in its source log: readable text for lineage and a long that orders changes
 * of one source.
 */
public record SourcePosition(String text, long version) {

  /** Reads the position from a Debezium {@code source} block of the given connector type. */
  public static SourcePosition of(String connector, GenericRecord source) {
    if ("postgresql".equals(connector)) {
      long lsn = DebeziumEnvelope.number(source, "lsn", 0L);
      return new SourcePosition("lsn=" + formatLsn(lsn), lsn);
    }
    String file = DebeziumEnvelope.text(source, "file");
    if (file != null) {
      long pos = DebeziumEnvelope.number(source, "pos", 0L);
      long row = DebeziumEnvelope.number(source, "row", 0L);
      String gtid = DebeziumEnvelope.text(source, "gtid");
      String text = "binlog=" + file + ":" + pos + "#" + row + (gtid == null ? "" : " gtid=" + gtid);
      return new SourcePosition(text, binlogVersion(file, pos, row));
    }
    long ts = DebeziumEnvelope.number(source, "ts_ms", 0L);
    return new SourcePosition("ts=" + ts, ts);
  }

  /** PostgreSQL's own notation for an LSN: high and low 32 bits in hex. */
  public static String formatLsn(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }

  /**
   * Packs binlog file index, offset and row into one ordered long: 23 bits of file index, 32 bits
   * of offset, 8 bits of row within the event.
   */
  static long binlogVersion(String file, long pos, long row) {
    int dot = file.lastIndexOf('.');
    long index = dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
    return (index << 40) | ((pos & 0xFFFFFFFFL) << 8) | Math.min(row, 255L);
  }
}
