package vn.ndc.sync.typeutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.RandomData;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.CivilStatusEvent;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.DemographicLink;
import vn.ndc.sync.avro.HealthInsuranceCard;
import vn.ndc.sync.avro.LandParcel;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;

class CompiledAvroSerializerTest {

  static Stream<Class<? extends SpecificRecordBase>> dictionaryRecords() {
    return Stream.of(
        Address.class,
        Citizen.class,
        CitizenIndexEntry.class,
        CivilStatusEvent.class,
        DeadLetter.class,
        DemographicLink.class,
        HealthInsuranceCard.class,
        LandParcel.class,
        Lineage.class,
        Person.class,
        PersonReview.class,
        RawRecord.class,
        SourceChange.class);
  }

  /** Random records of a class: every branch of every union, nested records, empty lists. */
  private static <T extends SpecificRecordBase> List<T> randomRecords(Class<T> type, int count) {
    SpecificData model = SpecificData.getForClass(type);
    Random random = new Random(42);
    List<T> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(type.cast(randomValue(model, model.getSchema(type), random)));
    }
    return records;
  }

  /** One random person, the same for the same seed. */
  static Person randomPerson(long seed) {
    SpecificData model = SpecificData.getForClass(Person.class);
    return (Person) randomValue(model, Person.getClassSchema(), new Random(seed));
  }

  private static Object randomValue(SpecificData model, Schema schema, Random random) {
    LogicalType logicalType = schema.getLogicalType();
    if (logicalType instanceof LogicalTypes.Date) {
      return LocalDate.ofEpochDay(random.nextInt(40_000) - 10_000);
    }
    if (logicalType instanceof LogicalTypes.TimestampMillis) {
      return Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L));
    }
    if (logicalType instanceof LogicalTypes.Decimal decimal) {
      return BigDecimal.valueOf(
          random.nextLong((long) Math.pow(10, decimal.getPrecision())), decimal.getScale());
    }
    switch (schema.getType()) {
      case RECORD:
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), randomValue(model, field.schema(), random));
        }
        return record;
      case UNION:
        List<Schema> branches = schema.getTypes();
        return randomValue(model, branches.get(random.nextInt(branches.size())), random);
      case ENUM:
        List<String> symbols = schema.getEnumSymbols();
        return model.createEnum(symbols.get(random.nextInt(symbols.size())), schema);
      case ARRAY:
        List<Object> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(randomValue(model, schema.getElementType(), random));
        }
        return items;
      case MAP:
        Map<String, Object> entries = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          entries.put("k" + random.nextInt(100), randomValue(model, schema.getValueType(), random));
        }
        return entries;
      case STRING:
        return random.nextBoolean() ? "" : "Nguyễn Thị Ánh " + random.nextInt();
      case BYTES:
        byte[] bytes = new byte[random.nextInt(8)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      case INT:
        return random.nextInt();
      case LONG:
        return random.nextLong();
      case BOOLEAN:
        return random.nextBoolean();
      case DOUBLE:
        return random.nextDouble();
      case FLOAT:
        return random.nextFloat();
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("no random values for " + schema);
    }
  }

  @ParameterizedTest
  @MethodSource("dictionaryRecords")
  <T extends SpecificRecordBase> void writesTheBytesOfFlinksAvroSerializerAndReadsThemBack(
      Class<T> type) throws IOException {
    TypeSerializer<T> compiled = new CompiledAvroTypeInfo<>(type).createSerializer(null);
    TypeSerializer<T> flink = new AvroTypeInfo<>(type).createSerializer(new SerializerConfigImpl());

    for (T record : randomRecords(type, 200)) {
      byte[] ours = bytes(compiled, record);
      assertThat(ours).isEqualTo(bytes(flink, record));
      assertThat(compiled.deserialize(new DataInputDeserializer(ours))).isEqualTo(record);
      assertThat(compiled.copy(record)).isEqualTo(record).isNotSameAs(record);
    }
  }

  @ParameterizedTest
  @MethodSource("dictionaryRecords")
  void writesGenericRecordsAsAvrosGenericWriterDoes(Class<? extends SpecificRecordBase> type)
      throws IOException {
    // Avro's own generator: generic records, Utf8 strings, enum symbols, raw logical values.
    Schema schema = SpecificData.get().getSchema(type);
    CompiledAvroCodec<IndexedRecord> codec = CompiledAvroCodec.of(schema, GenericData.get());
    for (Object record : new RandomData(GenericData.get(), schema, 200, 7L)) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
      new GenericDatumWriter<>(schema).write(record, encoder);
      encoder.flush();
      ByteArrayOutputStream actual = new ByteArrayOutputStream();
      encoder = EncoderFactory.get().binaryEncoder(actual, null);
      codec.write((IndexedRecord) record, encoder);
      encoder.flush();

      assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void readsRecordsBackToBackFromOneStream() throws IOException {
    TypeSerializer<Person> serializer = new CompiledAvroSerializer<>(Person.class);
    List<Person> people = randomRecords(Person.class, 50);
    DataOutputSerializer out = new DataOutputSerializer(4096);
    for (Person person : people) {
      serializer.serialize(person, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (Person person : people) {
      assertThat(serializer.deserialize(in)).isEqualTo(person);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void snapshotRestoresTheSerializerAndKeepsStateOfTheSameSchemaAsItIs() throws IOException {
    CompiledAvroSerializer<Person> serializer = new CompiledAvroSerializer<>(Person.class);
    TypeSerializerSnapshot<Person> restored = roundTrip(serializer.snapshotConfiguration());

    assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    TypeSerializerSchemaCompatibility<Person> compatibility =
        serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compatibility.isCompatibleAsIs()).isTrue();
  }

  @Test
  void stateWrittenByFlinksAvroSerializerIsMigrated() {
    TypeSerializerSnapshot<Person> old =
        new AvroTypeInfo<>(Person.class)
            .createSerializer(new SerializerConfigImpl())
            .snapshotConfiguration();
    assertThat(
            new CompiledAvroSerializer<>(Person.class)
                .snapshotConfiguration()
                .resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration())
        .isTrue();
  }

  @Test
  void stateOfAnOlderSchemaIsReadByAvrosRules() throws IOException {
    // The Person of an older release: the same record without its last field, `sources`.
    Schema current = Person.getClassSchema();
    List<Schema.Field> kept = current.getFields().subList(0, current.getFields().size() - 1);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : kept) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    Schema older =
        Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
    Person person = randomRecords(Person.class, 1).get(0);
    DataOutputSerializer out = new DataOutputSerializer(1024);
    DataOutputEncoder encoder = new DataOutputEncoder();
    encoder.setOut(out);
    new SpecificDatumWriter<Person>(older, SpecificData.getForClass(Person.class))
        .write(person, encoder);

    TypeSerializerSnapshot<Person> oldSnapshot =
        roundTrip(new CompiledAvroSerializerSnapshot<>(Person.class, older.toString()));
    TypeSerializerSchemaCompatibility<Person> compatibility =
        new CompiledAvroSerializer<>(Person.class)
            .snapshotConfiguration()
            .resolveSchemaCompatibility(oldSnapshot);

    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
    Person read =
        oldSnapshot
            .restoreSerializer()
            .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(read.getSources()).isEmpty();
    person.setSources(List.of());
    assertThat(read).isEqualTo(person);
  }

  @Test
  void aSchemaThatCannotBeReadIsIncompatible() throws IOException {
    Schema unrelated =
        SchemaBuilder.record("Person")
            .namespace("vn.ndc.sync.avro")
            .fields()
            .requiredInt("personKey")
            .endRecord();
    TypeSerializerSnapshot<Person> old =
        roundTrip(new CompiledAvroSerializerSnapshot<>(Person.class, unrelated.toString()));
    assertThat(
            new CompiledAvroSerializer<>(Person.class)
                .snapshotConfiguration()
                .resolveSchemaCompatibility(old)
                .isIncompatible())
        .isTrue();
  }

  @Test
  void refusesSchemasItCannotPlan() {
    Schema tree =
        SchemaBuilder.record("Tree")
            .namespace("vn.ndc.sync.test")
            .fields()
            .name("children")
            .type()
            .array()
            .items()
            .type("Tree")
            .noDefault()
            .endRecord();
    assertThatThrownBy(() -> CompiledAvroCodec.of(tree, SpecificData.get()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recursive record vn.ndc.sync.test.Tree");
    assertThatThrownBy(
            () -> CompiledAvroCodec.of(Schema.create(Schema.Type.STRING), SpecificData.get()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a record schema");
  }

  private static <T> byte[] bytes(TypeSerializer<T> serializer, T record) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(record, out);
    return out.getCopyOfBuffer();
  }

  private static <T> TypeSerializerSnapshot<T> roundTrip(TypeSerializerSnapshot<T> snapshot)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(1024);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    return TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()),
        CompiledAvroSerializerTest.class.getClassLoader());
  }
}
