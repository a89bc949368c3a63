package vn.ndc.sync.verify;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Renders JDBC column values as text the way the pipeline renders Debezium values ({@code
 * DebeziumEnvelope}), so a row read over JDBC maps to the same canonical record as its change
 * event: dates yyyy-MM-dd, timestamps ISO-8601 without zone, numbers in plain notation.
 */
public final class JdbcText {

  private JdbcText() {}

  /** Every column of the current row, by column label, as text (null stays null). */
  public static Map<String, String> row(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, String> out = new HashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.put(md.getColumnLabel(i), value(rs, i, md.getColumnType(i)));
    }
    return out;
  }

  static String value(ResultSet rs, int i, int sqlType) throws SQLException {
    switch (sqlType) {
      case Types.DATE:
        LocalDate date = rs.getObject(i, LocalDate.class);
        return date == null ? null : date.toString();
      case Types.TIMESTAMP:
        LocalDateTime timestamp = rs.getObject(i, LocalDateTime.class);
        return timestamp == null ? null : timestamp.toString();
      case Types.TIMESTAMP_WITH_TIMEZONE:
        OffsetDateTime zoned = rs.getObject(i, OffsetDateTime.class);
        // Debezium's ZonedTimestamp: the UTC instant in ISO offset form.
        return zoned == null
            ? null
            : zoned
                .withOffsetSameInstant(ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case Types.TIME:
        LocalTime time = rs.getObject(i, LocalTime.class);
        return time == null ? null : time.toString();
      case Types.NUMERIC:
      case Types.DECIMAL:
        BigDecimal decimal = rs.getBigDecimal(i);
        return decimal == null ? null : decimal.toPlainString();
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        long n = rs.getLong(i);
        return rs.wasNull() ? null : Long.toString(n);
      case Types.REAL:
        float f = rs.getFloat(i);
        return rs.wasNull() ? null : Float.toString(f);
      case Types.FLOAT:
      case Types.DOUBLE:
        double d = rs.getDouble(i);
        return rs.wasNull() ? null : Double.toString(d);
      case Types.BIT:
      case Types.BOOLEAN:
        boolean b = rs.getBoolean(i);
        return rs.wasNull() ? null : Boolean.toString(b);
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
        byte[] bytes = rs.getBytes(i);
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
      default:
        return rs.getString(i);
    }
  }
}
