package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;

class DebeziumEnvelopeTest {

  private static final Schema DATE =
      withConnectName(SchemaBuilder.builder().intType(), "io.debezium.time.Date");
  private static final Schema MICRO_TS =
      withConnectName(SchemaBuilder.builder().longType(), "io.debezium.time.MicroTimestamp");
  private static final Schema DECIMAL =
      LogicalTypes.decimal(10, 2).addToSchema(SchemaBuilder.builder().bytesType());

  private static final Schema ROW =
      SchemaBuilder.record("Value")
          .fields()
          .requiredLong("id")
          .optionalString("ho_ten")
          .name("ngay_sinh")
          .type()
          .optional()
          .type(DATE)
          .name("cap_nhat_luc")
          .type()
          .optional()
          .type(MICRO_TS)
          .name("phi")
          .type()
          .optional()
          .type(DECIMAL)
          .endRecord();

  private static final Schema PG_SOURCE =
      SchemaBuilder.record("Source")
          .fields()
          .requiredString("connector")
          .requiredString("db")
          .optionalString("schema")
          .requiredString("table")
          .requiredLong("ts_ms")
          .optionalLong("lsn")
          .endRecord();

  private static final Schema MYSQL_SOURCE =
      SchemaBuilder.record("MySource")
          .fields()
          .requiredString("connector")
          .requiredString("db")
          .requiredString("table")
          .requiredLong("ts_ms")
          .optionalString("file")
          .optionalLong("pos")
          .optionalInt("row")
          .endRecord();

  private static Schema envelope(Schema source) {
    return SchemaBuilder.record("Envelope")
        .fields()
        .name("before")
        .type()
        .optional()
        .type(ROW)
        .name("after")
        .type()
        .optional()
        .type(ROW)
        .name("source")
        .type(source)
        .noDefault()
        .requiredString("op")
        .optionalLong("ts_ms")
        .endRecord();
  }

  private static Schema withConnectName(Schema schema, String name) {
    schema.addProp("connect.name", name);
    return schema;
  }

  private static GenericRecord row(long id, String name) {
    GenericRecord r = new GenericData.Record(ROW);
    r.put("id", id);
    r.put("ho_ten", name);
    r.put("ngay_sinh", (int) LocalDate.of(1990, 3, 15).toEpochDay());
    r.put("cap_nhat_luc", 1_700_000_000_123_456L);
    r.put("phi", ByteBuffer.wrap(new BigDecimal("1234.50").unscaledValue().toByteArray()));
    return r;
  }

  private static final RawRecord RAW =
      RawRecord.newBuilder()
          .setTopic("raw.civil-registry.nhan_khau")
          .setPartition(1)
          .setOffset(42)
          .setTimestamp(0)
          .build();

  /** The source block of a change to public.nhan_khau of civil_registry. */
  private static GenericRecord pgSource(long tsMs, long lsn) {
    GenericRecord source = new GenericData.Record(PG_SOURCE);
    source.put("connector", "postgresql");
    source.put("db", "civil_registry");
    source.put("schema", "public");
    source.put("table", "nhan_khau");
    source.put("ts_ms", tsMs);
    source.put("lsn", lsn);
    return source;
  }

  @Test
  void flattensAPostgresInsertWithTypedColumnsAsText() {
    GenericRecord source = pgSource(1_700_000_000_000L, 0x16B3748L);
    GenericRecord env = new GenericData.Record(envelope(PG_SOURCE));
    env.put("after", row(7, "Nguyễn Văn An"));
    env.put("source", source);
    env.put("op", "c");

    SourceChange change = DebeziumEnvelope.flatten(env, "civil-registry", RAW, 5L);

    assertThat(change.getAgency()).isEqualTo("civil-registry");
    assertThat(change.getDatabase()).isEqualTo("civil_registry");
    assertThat(change.getTable()).isEqualTo("public.nhan_khau");
    assertThat(change.getOperation()).isEqualTo("c");
    assertThat(change.getPosition()).isEqualTo("lsn=0/16B3748");
    assertThat(change.getVersion()).isEqualTo(0x16B3748L);
    assertThat(change.getCommitTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(change.getIngestTime()).isEqualTo(Instant.ofEpochMilli(5L));
    assertThat(change.getRow())
        .containsEntry("id", "7")
        .containsEntry("ho_ten", "Nguyễn Văn An")
        .containsEntry("ngay_sinh", "1990-03-15")
        .containsEntry("cap_nhat_luc", "2023-11-14T22:13:20.123456")
        .containsEntry("phi", "1234.50");
    assertThat(change.getRawTopic()).isEqualTo("raw.civil-registry.nhan_khau");
    assertThat(change.getRawPartition()).isEqualTo(1);
    assertThat(change.getRawOffset()).isEqualTo(42L);
  }

  @Test
  void aDeleteCarriesTheBeforeImage() {
    GenericRecord source = pgSource(1L, 100L);
    GenericRecord env = new GenericData.Record(envelope(PG_SOURCE));
    env.put("before", row(9, "Trần Thị Lan"));
    env.put("source", source);
    env.put("op", "d");

    SourceChange change = DebeziumEnvelope.flatten(env, "civil-registry", RAW, 5L);

    assertThat(change.getOperation()).isEqualTo("d");
    assertThat(change.getRow()).containsEntry("ho_ten", "Trần Thị Lan");
  }

  @Test
  void anUpdateCarriesItsBeforeImageBesideTheRowAndOtherOperationsNone() {
    GenericRecord source = pgSource(1L, 200L);
    GenericRecord env = new GenericData.Record(envelope(PG_SOURCE));
    env.put("before", row(9, "Trần Thị Lan"));
    env.put("after", row(9, "Trần Thị Lân"));
    env.put("source", source);
    env.put("op", "u");

    SourceChange update = DebeziumEnvelope.flatten(env, "civil-registry", RAW, 5L);

    assertThat(update.getRow()).containsEntry("ho_ten", "Trần Thị Lân");
    assertThat(update.getBefore())
        .containsEntry("ho_ten", "Trần Thị Lan")
        .containsEntry("ngay_sinh", "1990-03-15");

    env.put("op", "c");
    assertThat(DebeziumEnvelope.flatten(env, "civil-registry", RAW, 5L).getBefore()).isNull();
    env.put("op", "d");
    assertThat(DebeziumEnvelope.flatten(env, "civil-registry", RAW, 5L).getBefore()).isNull();
    // A source that logs only the key (PostgreSQL's default replica identity) sends no before.
    env.put("op", "u");
    env.put("before", null);
    assertThat(DebeziumEnvelope.flatten(env, "civil-registry", RAW, 5L).getBefore()).isNull();
  }

  @Test
  void binlogPositionsOrderByFileThenOffsetThenRow() {
    GenericRecord source = new GenericData.Record(MYSQL_SOURCE);
    source.put("connector", "mariadb");
    source.put("db", "bhyt");
    source.put("table", "the_bhyt");
    source.put("ts_ms", 1L);
    source.put("file", "mariadb-bin.000003");
    source.put("pos", 1234L);
    source.put("row", 2);
    GenericRecord env = new GenericData.Record(envelope(MYSQL_SOURCE));
    env.put("after", row(1, "Lê Văn Nam"));
    env.put("source", source);
    env.put("op", "u");

    SourceChange change = DebeziumEnvelope.flatten(env, "health-insurance", RAW, 5L);

    assertThat(change.getTable()).isEqualTo("the_bhyt");
    assertThat(change.getPosition()).isEqualTo("binlog=mariadb-bin.000003:1234#2");
    assertThat(SourcePosition.binlogVersion("mariadb-bin.000003", 1234, 2))
        .isLessThan(SourcePosition.binlogVersion("mariadb-bin.000003", 1234, 3))
        .isLessThan(SourcePosition.binlogVersion("mariadb-bin.000003", 1300, 0))
        .isLessThan(SourcePosition.binlogVersion("mariadb-bin.000004", 4, 0));
    assertThat(SourcePosition.binlogVersion("mariadb-bin.999999", 0xFFFFFFFFL, 1 << 20))
        .isPositive();
  }

  @Test
  void changesOfOneBinlogTransactionOrderByTheirTransactionOrder() {
    // A binlog connector reports the transaction's start as pos for every change in it.
    Schema transactionSchema =
        SchemaBuilder.record("Transaction")
            .fields()
            .requiredString("id")
            .requiredLong("total_order")
            .requiredLong("data_collection_order")
            .endRecord();
    long[] versions = new long[2];
    String[] positions = new String[2];
    for (int i = 0; i < 2; i++) {
      GenericRecord source = new GenericData.Record(MYSQL_SOURCE);
      source.put("connector", "mariadb");
      source.put("db", "bhyt");
      source.put("table", "the_bhyt");
      source.put("ts_ms", 1L);
      source.put("file", "mariadb-bin.000003");
      source.put("pos", 1234L);
      source.put("row", 0);
      GenericRecord transaction = new GenericData.Record(transactionSchema);
      transaction.put("id", "0-1-4");
      transaction.put("total_order", 7L + i);
      transaction.put("data_collection_order", 7L + i);
      Schema withTransaction =
          SchemaBuilder.record("Envelope")
              .fields()
              .name("before")
              .type()
              .optional()
              .type(ROW)
              .name("after")
              .type()
              .optional()
              .type(ROW)
              .name("source")
              .type(MYSQL_SOURCE)
              .noDefault()
              .requiredString("op")
              .name("transaction")
              .type()
              .optional()
              .type(transactionSchema)
              .endRecord();
      GenericRecord env = new GenericData.Record(withTransaction);
      env.put(i == 0 ? "after" : "before", row(1, "Lê Văn Nam"));
      env.put("source", source);
      env.put("op", i == 0 ? "c" : "d");
      env.put("transaction", transaction);
      SourceChange change = DebeziumEnvelope.flatten(env, "health-insurance", RAW, 5L);
      versions[i] = change.getVersion();
      positions[i] = change.getPosition();
    }

    assertThat(versions[0]).isLessThan(versions[1]);
    assertThat(positions[1]).isEqualTo("binlog=mariadb-bin.000003:1234#0 order=8");
  }

  @Test
  void aRecordThatIsNotAnEnvelopeIsRefused() {
    GenericRecord plain = row(1, "x");
    assertThatThrownBy(() -> DebeziumEnvelope.flatten(plain, "a", RAW, 0L))
        .isInstanceOf(DebeziumEnvelope.NotAnEnvelopeException.class)
        .hasMessageContaining("no 'op'/'source'");
  }
}
