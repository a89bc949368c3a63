package vn.ndc.sync.standardize;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;

/**
 * Flattens a decoded Debezium change envelope (before/after/source/op) into a {@link SourceChange}
 * whose row holds every column as text, so mappings never depend on how a connector encoded a type.
 */
public final class DebeziumEnvelope {

  private DebeziumEnvelope() {}

  /** Thrown when a value is not a Debezium change envelope. */
  public static final class NotAnEnvelopeException extends IllegalArgumentException {
    public NotAnEnvelopeException(String message) {
      super(message);
    }
  }

  /**
   * Flattens {@code envelope}, read from {@code raw}, for {@code agency}.
   *
   * @throws NotAnEnvelopeException when a required envelope field is missing
   */
  public static SourceChange flatten(
      GenericRecord envelope, String agency, RawRecord raw, long ingestTimeMillis) {
    Schema schema = envelope.getSchema();
    if (schema.getField("op") == null || schema.getField("source") == null) {
      throw new NotAnEnvelopeException(
          "record of schema " + schema.getFullName() + " has no 'op'/'source' fields");
    }
    String op = String.valueOf(envelope.get("op"));
    GenericRecord source = (GenericRecord) envelope.get("source");
    GenericRecord image = (GenericRecord) envelope.get("d".equals(op) ? "before" : "after");
    if (image == null) {
      throw new NotAnEnvelopeException(
          "operation '" + op + "' without a " + ("d".equals(op) ? "before" : "after") + " image");
    }
    String connector = text(source, "connector");
    String database = text(source, "db");
    String table = text(source, "table");
    String schemaName = text(source, "schema");
    String qualifiedTable = schemaName == null ? table : schemaName + "." + table;
    long commitTime = number(source, "ts_ms", ingestTimeMillis);
    GenericRecord transaction =
        schema.getField("transaction") == null ? null : (GenericRecord) envelope.get("transaction");
    SourcePosition position = SourcePosition.of(connector, source, transaction);
    GenericRecord before =
        "u".equals(op) && schema.getField("before") != null
            ? (GenericRecord) envelope.get("before")
            : null;
    return SourceChange.newBuilder()
        .setAgency(agency)
        .setDatabase(database == null ? "" : database)
        .setTable(qualifiedTable == null ? "" : qualifiedTable)
        .setOperation(op)
        .setPosition(position.text())
        .setVersion(position.version())
        .setCommitTime(Instant.ofEpochMilli(commitTime))
        .setIngestTime(Instant.ofEpochMilli(ingestTimeMillis))
        .setRow(render(image))
        .setRawTopic(raw.getTopic())
        .setRawPartition(raw.getPartition())
        .setRawOffset(raw.getOffset())
        .setBefore(before == null ? null : render(before))
        .build();
  }

  /** Renders every column of a row image as text. */
  static Map<String, String> render(GenericRecord row) {
    Map<String, String> out = new HashMap<>();
    for (Schema.Field field : row.getSchema().getFields()) {
      out.put(field.name(), renderValue(field.schema(), row.get(field.pos())));
    }
    return out;
  }

  static String renderValue(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    Schema type = nonNull(schema);
    LogicalType logical = type.getLogicalType();
    String connectName = type.getProp("connect.name");
    switch (type.getType()) {
      case INT:
        if (logical instanceof LogicalTypes.Date
            || "io.debezium.time.Date".equals(connectName)
            || "org.apache.kafka.connect.data.Date".equals(connectName)) {
          return LocalDate.ofEpochDay(((Number) value).intValue()).toString();
        }
        if (logical instanceof LogicalTypes.TimeMillis
            || "io.debezium.time.Time".equals(connectName)
            || "org.apache.kafka.connect.data.Time".equals(connectName)) {
          return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
        }
        return value.toString();
      case LONG:
        long n = ((Number) value).longValue();
        if (logical instanceof LogicalTypes.TimestampMillis
            || logical instanceof LogicalTypes.LocalTimestampMillis
            || "io.debezium.time.Timestamp".equals(connectName)
            || "org.apache.kafka.connect.data.Timestamp".equals(connectName)) {
          // Debezium encodes a timestamp without zone as if it were UTC: keep it zoneless.
          return LocalDateTime.ofEpochSecond(
                  Math.floorDiv(n, 1000L),
                  (int) Math.floorMod(n, 1000L) * 1_000_000,
                  ZoneOffset.UTC)
              .toString();
        }
        if (logical instanceof LogicalTypes.TimestampMicros
            || logical instanceof LogicalTypes.LocalTimestampMicros
            || "io.debezium.time.MicroTimestamp".equals(connectName)) {
          return LocalDateTime.ofEpochSecond(
                  Math.floorDiv(n, 1_000_000L),
                  (int) Math.floorMod(n, 1_000_000L) * 1000,
                  ZoneOffset.UTC)
              .toString();
        }
        if (logical instanceof LogicalTypes.TimeMicros
            || "io.debezium.time.MicroTime".equals(connectName)) {
          return LocalTime.ofNanoOfDay(n * 1000L).toString();
        }
        return Long.toString(n);
      case BYTES:
      case FIXED:
        byte[] bytes = bytes(value);
        if (logical instanceof LogicalTypes.Decimal decimal) {
          return new BigDecimal(new BigInteger(bytes), decimal.getScale()).toPlainString();
        }
        if ("org.apache.kafka.connect.data.Decimal".equals(connectName)) {
          String scale = type.getProp("scale");
          return new BigDecimal(new BigInteger(bytes), scale == null ? 0 : Integer.parseInt(scale))
              .toPlainString();
        }
        return java.util.HexFormat.of().formatHex(bytes);
      case RECORD:
        GenericRecord nested = (GenericRecord) value;
        if (type.getField("scale") != null && type.getField("value") != null) {
          // io.debezium.data.VariableScaleDecimal
          byte[] unscaled = bytes(nested.get("value"));
          int scale = ((Number) nested.get("scale")).intValue();
          return new BigDecimal(new BigInteger(unscaled), scale).toPlainString();
        }
        return nested.toString();
      default:
        return value.toString();
    }
  }

  private static byte[] bytes(Object value) {
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] out = new byte[copy.remaining()];
      copy.get(out);
      return out;
    }
    if (value instanceof GenericFixed fixed) {
      return fixed.bytes();
    }
    return (byte[]) value;
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return branch;
        }
      }
    }
    return schema;
  }

  static String text(GenericRecord record, String field) {
    if (record.getSchema().getField(field) == null) {
      return null;
    }
    Object value = record.get(field);
    return value == null ? null : value.toString();
  }

  static long number(GenericRecord record, String field, long fallback) {
    if (record.getSchema().getField(field) == null) {
      return fallback;
    }
    Object value = record.get(field);
    return value instanceof Number number ? number.longValue() : fallback;
  }
}
