package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ConnectAvroTest {

  private final ConnectAvro avro = new ConnectAvro();

  @Test
  void primitivesMapToAvroPrimitivesAndKeepNarrowIntTypes() {
    org.apache.kafka.connect.data.Schema connect =
        SchemaBuilder.struct()
            .name("t.Row")
            .field("b", org.apache.kafka.connect.data.Schema.INT8_SCHEMA)
            .field("s", org.apache.kafka.connect.data.Schema.INT16_SCHEMA)
            .field("i", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("l", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("f", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .field("d", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
            .field("z", org.apache.kafka.connect.data.Schema.BOOLEAN_SCHEMA)
            .field("str", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("raw", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA)
            .build();
    Struct value =
        new Struct(connect)
            .put("b", (byte) 1)
            .put("s", (short) 2)
            .put("i", 3)
            .put("l", 4L)
            .put("f", 5.5f)
            .put("d", 6.25)
            .put("z", true)
            .put("str", "Nguyễn Văn A")
            .put("raw", new byte[] {7, 8});

    Schema schema = avro.toAvroSchema(connect);
    assertThat(schema.getFullName()).isEqualTo("t.Row");
    assertThat(schema.getField("b").schema().getType()).isEqualTo(Schema.Type.INT);
    assertThat(schema.getField("b").schema().getProp(ConnectAvro.CONNECT_TYPE)).isEqualTo("int8");
    assertThat(schema.getField("s").schema().getProp(ConnectAvro.CONNECT_TYPE)).isEqualTo("int16");
    assertThat(schema.getField("l").schema().getType()).isEqualTo(Schema.Type.LONG);
    assertThat(schema.getField("raw").schema().getType()).isEqualTo(Schema.Type.BYTES);

    GenericRecord record = roundTrip(avro.toAvroRecord(value));
    assertThat(record.get("b")).isEqualTo(1);
    assertThat(record.get("s")).isEqualTo(2);
    assertThat(record.get("i")).isEqualTo(3);
    assertThat(record.get("l")).isEqualTo(4L);
    assertThat(record.get("f")).isEqualTo(5.5f);
    assertThat(record.get("d")).isEqualTo(6.25);
    assertThat(record.get("z")).isEqualTo(true);
    assertThat(record.get("str").toString()).isEqualTo("Nguyễn Văn A");
    assertThat(((ByteBuffer) record.get("raw")).array()).containsExactly(7, 8);
  }

  @Test
  void optionalFieldsBecomeNullUnionsWithNullDefault() {
    org.apache.kafka.connect.data.Schema connect =
        SchemaBuilder.struct()
            .name("t.Opt")
            .field("name", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("age", SchemaBuilder.int32().defaultValue(18).build())
            .build();
    Schema schema = avro.toAvroSchema(connect);
    Schema.Field name = schema.getField("name");
    assertThat(name.schema().getType()).isEqualTo(Schema.Type.UNION);
    assertThat(name.schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
    assertThat(name.schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.STRING);
    assertThat(name.hasDefaultValue()).isTrue();
    assertThat(name.defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
    assertThat(schema.getField("age").defaultVal()).isEqualTo(18);

    GenericRecord record = roundTrip(avro.toAvroRecord(new Struct(connect).put("age", 30)));
    assertThat(record.get("name")).isNull();
    assertThat(record.get("age")).isEqualTo(30);
  }

  @Test
  void debeziumEnvelopeConvertsWithSharedValueRecord() {
    org.apache.kafka.connect.data.Schema row =
        SchemaBuilder.struct()
            .name("agency.public.citizen.Value")
            .optional()
            .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("full_name", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field(
                "birth_date",
                SchemaBuilder.int32().name("io.debezium.time.Date").version(1).optional().build())
            .field(
                "updated_at",
                SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build())
            .build();
    org.apache.kafka.connect.data.Schema source =
        SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("db", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("table", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("lsn", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Schema envelope =
        SchemaBuilder.struct()
            .name("agency.public.citizen.Envelope")
            .version(2)
            .field("before", row)
            .field("after", row)
            .field("source", source)
            .field("op", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("ts_ms", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    Struct after =
        new Struct(row)
            .put("id", 42L)
            .put("full_name", "Trần Thị B")
            .put("birth_date", 7000)
            .put("updated_at", 1_700_000_000_000_000L);
    Struct value =
        new Struct(envelope)
            .put("after", after)
            .put(
                "source",
                new Struct(source).put("db", "hotich").put("table", "citizen").put("lsn", 99L))
            .put("op", "c")
            .put("ts_ms", 1_700_000_000_123L);

    Schema schema = avro.toAvroSchema(envelope);
    assertThat(schema.getFullName()).isEqualTo("agency.public.citizen.Envelope");
    assertThat(schema.getProp(ConnectAvro.CONNECT_NAME))
        .isEqualTo("agency.public.citizen.Envelope");
    assertThat(schema.getObjectProp(ConnectAvro.CONNECT_VERSION)).isEqualTo(2);
    Schema beforeRecord = schema.getField("before").schema().getTypes().get(1);
    Schema afterRecord = schema.getField("after").schema().getTypes().get(1);
    assertThat(beforeRecord).isSameAs(afterRecord);
    Schema birth = afterRecord.getField("birth_date").schema().getTypes().get(1);
    assertThat(birth.getType()).isEqualTo(Schema.Type.INT);
    assertThat(birth.getLogicalType()).isNull();
    assertThat(birth.getProp(ConnectAvro.CONNECT_NAME)).isEqualTo("io.debezium.time.Date");
    assertThat(afterRecord.getField("updated_at").schema().getProp(ConnectAvro.CONNECT_NAME))
        .isEqualTo("io.debezium.time.MicroTimestamp");
    // The schema must survive a text round trip, which is what the registry stores.
    assertThat(new Schema.Parser().parse(schema.toString())).isEqualTo(schema);

    GenericRecord record = roundTrip(avro.toAvroRecord(value));
    assertThat(record.get("before")).isNull();
    GenericRecord a = (GenericRecord) record.get("after");
    assertThat(a.get("id")).isEqualTo(42L);
    assertThat(a.get("full_name").toString()).isEqualTo("Trần Thị B");
    assertThat(a.get("birth_date")).isEqualTo(7000);
    assertThat(a.get("updated_at")).isEqualTo(1_700_000_000_000_000L);
    assertThat(((GenericRecord) record.get("source")).get("table").toString()).isEqualTo("citizen");
    assertThat(record.get("op").toString()).isEqualTo("c");
    assertThat(record.get("ts_ms")).isEqualTo(1_700_000_000_123L);
  }

  @Test
  void connectLogicalTypesMapToAvroLogicalTypes() {
    org.apache.kafka.connect.data.Schema decimal =
        Decimal.builder(2).parameter(ConnectAvro.DECIMAL_PRECISION, "10").build();
    org.apache.kafka.connect.data.Schema connect =
        SchemaBuilder.struct()
            .name("t.Money")
            .field("amount", decimal)
            .field("unbounded", Decimal.builder(3).optional().build())
            .field("day", Date.SCHEMA)
            .field("at", Timestamp.SCHEMA)
            .build();
    java.util.Date day = new java.util.Date(3 * 86_400_000L);
    java.util.Date at = new java.util.Date(1_700_000_000_123L);
    Struct value =
        new Struct(connect)
            .put("amount", new BigDecimal("-12345678.90"))
            .put("unbounded", new BigDecimal("1.500"))
            .put("day", day)
            .put("at", at);

    Schema schema = avro.toAvroSchema(connect);
    LogicalTypes.Decimal amountType =
        (LogicalTypes.Decimal) schema.getField("amount").schema().getLogicalType();
    assertThat(amountType.getPrecision()).isEqualTo(10);
    assertThat(amountType.getScale()).isEqualTo(2);
    LogicalTypes.Decimal unboundedType =
        (LogicalTypes.Decimal)
            schema.getField("unbounded").schema().getTypes().get(1).getLogicalType();
    assertThat(unboundedType.getPrecision()).isEqualTo(64);
    assertThat(schema.getField("day").schema().getLogicalType()).isEqualTo(LogicalTypes.date());
    assertThat(schema.getField("at").schema().getLogicalType())
        .isEqualTo(LogicalTypes.timestampMillis());

    GenericRecord record = roundTrip(avro.toAvroRecord(value));
    BigDecimal amount =
        new org.apache.avro.Conversions.DecimalConversion()
            .fromBytes((ByteBuffer) record.get("amount"), null, amountType);
    assertThat(amount).isEqualByComparingTo("-12345678.90");
    assertThat(record.get("day")).isEqualTo(3);
    assertThat(record.get("at")).isEqualTo(1_700_000_000_123L);
  }

  @Test
  void arraysMapsAndNestedStructs() {
    org.apache.kafka.connect.data.Schema address =
        SchemaBuilder.struct()
            .field("commune", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Schema connect =
        SchemaBuilder.struct()
            .name("t.Person")
            .field(
                "phones",
                SchemaBuilder.array(org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build())
            .field("addresses", SchemaBuilder.array(address).optional().build())
            .field(
                "tags",
                SchemaBuilder.map(
                        org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                        org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
                    .build())
            .field(
                "scores",
                SchemaBuilder.map(
                        org.apache.kafka.connect.data.Schema.INT32_SCHEMA,
                        org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                    .build())
            .build();
    Struct value =
        new Struct(connect)
            .put("phones", List.of("0901", "0902"))
            .put("addresses", List.of(new Struct(address).put("commune", "Phường Ba Đình")))
            .put("tags", Map.of("a", 1))
            .put("scores", Map.of(7, "seven"));

    Schema schema = avro.toAvroSchema(connect);
    assertThat(new Schema.Parser().parse(schema.toString())).isEqualTo(schema);
    assertThat(schema.getField("tags").schema().getType()).isEqualTo(Schema.Type.MAP);
    assertThat(schema.getField("scores").schema().getType()).isEqualTo(Schema.Type.ARRAY);

    GenericRecord record = roundTrip(avro.toAvroRecord(value));
    assertThat(record.get("phones").toString()).isEqualTo("[0901, 0902]");
    GenericRecord first = (GenericRecord) ((List<?>) record.get("addresses")).get(0);
    assertThat(first.get("commune").toString()).isEqualTo("Phường Ba Đình");
    assertThat(((Map<?, ?>) record.get("tags")).values().iterator().next()).isEqualTo(1);
    GenericRecord score = (GenericRecord) ((List<?>) record.get("scores")).get(0);
    assertThat(score.get("key")).isEqualTo(7);
    assertThat(score.get("value").toString()).isEqualTo("seven");
  }

  @Test
  void aMissingRequiredValueIsReportedWithWhereItSits() {
    org.apache.kafka.connect.data.Schema row =
        SchemaBuilder.struct()
            .name("Row")
            .field("ho_ten", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Schema envelope =
        SchemaBuilder.struct().name("Envelope").field("after", row).build();
    // Struct.put refuses such nulls; a struct whose fields were never set still carries them.
    assertThatThrownBy(() -> new ConnectAvro().toAvro(envelope, new Struct(envelope)))
        .isInstanceOf(DataException.class)
        .hasMessage("required field <root>.after is null");
    assertThatThrownBy(() -> new ConnectAvro().toAvro(row, new Struct(row)))
        .isInstanceOf(DataException.class)
        .hasMessage("required field <root>.ho_ten is null");
  }

  @Test
  void namesAreMadeAvroSafe() {
    org.apache.kafka.connect.data.Schema connect =
        SchemaBuilder.struct()
            .name("so-ytế.2024.Row")
            .field("họ tên", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();
    Schema schema = avro.toAvroSchema(connect);
    assertThat(schema.getFullName()).isEqualTo("so_yt_._2024.Row");
    assertThat(schema.getFields().get(0).name()).isEqualTo("h__t_n");
    GenericRecord record = roundTrip(avro.toAvroRecord(new Struct(connect).put("họ tên", "x")));
    assertThat(record.get(0).toString()).isEqualTo("x");
  }

  @Test
  void schemasAreCachedPerConnectSchemaAndNullsPassThrough() {
    org.apache.kafka.connect.data.Schema connect =
        SchemaBuilder.struct()
            .name("t.K")
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .build();
    assertThat(avro.toAvroSchema(connect)).isSameAs(avro.toAvroSchema(connect));
    assertThat(avro.toAvro(null, null)).isNull();
    assertThat(avro.toAvro(SchemaBuilder.struct().optional().build(), null)).isNull();
    assertThatThrownBy(() -> avro.toAvroRecord(new Struct(connect)))
        .isInstanceOf(DataException.class);
  }

  private static GenericRecord roundTrip(GenericData.Record record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(record.getSchema())
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
