package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.local.SharedTestStack;

class DebeziumCaptureIT {

  private final SharedTestStack stack = SharedTestStack.get();

  @Test
  void capturesSnapshotInsertUpdateDeleteAsConfluentWireFormatAvro() throws Exception {
    String agency = stack.uniqueName("hotich");
    String db = stack.uniqueName("capture");
    stack.postgres().createDatabaseIfMissing(db);
    sql(
        db,
        "CREATE TABLE citizen (id bigint PRIMARY KEY, full_name text NOT NULL,"
            + " birth_date date, amount numeric(12,2), updated_at timestamp)",
        "ALTER TABLE citizen REPLICA IDENTITY FULL",
        "INSERT INTO citizen VALUES (1, 'Nguyễn Văn An', '1990-05-17', 1234.50,"
            + " '2024-01-02 03:04:05.123456')");
    String topic = DebeziumCapture.rawTopic(agency, "citizen");

    try (DebeziumCapture capture = startCapture(agency, db, true)) {
      capture.awaitStarted(Duration.ofSeconds(60));
      Captures.await(() -> capture.captured(topic) >= 1, capture, "snapshot of row 1");
      sql(
          db,
          "INSERT INTO citizen VALUES (2, 'Trần Thị Bình', NULL, NULL, NULL)",
          "UPDATE citizen SET full_name = 'Nguyễn Văn Ân' WHERE id = 1",
          "DELETE FROM citizen WHERE id = 2");
      Captures.await(() -> capture.captured(topic) >= 4, capture, "insert, update and delete");
      assertThat(capture.capturedPerTopic()).containsEntry(topic, 4L);
      assertThat(capture.tombstonesSkipped()).isEqualTo(1);
    }

    List<ConsumerRecord<byte[], byte[]>> raw = consumeAll(topic, 4);
    assertThat(raw).hasSize(4);
    Set<Integer> ids = new LinkedHashSet<>();
    List<GenericRecord> values = new ArrayList<>();
    List<GenericRecord> keys = new ArrayList<>();
    try (AvroKafkaDeserializer<GenericRecord> valueSerde = new AvroKafkaDeserializer<>();
        AvroKafkaDeserializer<GenericRecord> keySerde = new AvroKafkaDeserializer<>()) {
      valueSerde.configure(stack.avroSerdeConfig(), false);
      keySerde.configure(stack.avroSerdeConfig(), true);
      for (ConsumerRecord<byte[], byte[]> r : raw) {
        assertThat(r.value()[0]).as("Confluent magic byte").isEqualTo((byte) 0);
        assertThat(r.key()[0]).as("Confluent magic byte on the key").isEqualTo((byte) 0);
        assertThat(r.headers().toArray()).as("no Apicurio headers").isEmpty();
        ids.add(ByteBuffer.wrap(r.value(), 1, 4).getInt());
        values.add(valueSerde.deserialize(topic, r.headers(), r.value()));
        keys.add(keySerde.deserialize(topic, r.headers(), r.key()));
      }
    }
    assertThat(ids).hasSize(1);

    assertThat(values).extracting(v -> v.get("op").toString()).containsExactly("r", "c", "u", "d");
    assertThat(keys).extracting(k -> k.get("id")).containsExactly(1L, 2L, 1L, 2L);

    GenericRecord snapshot = (GenericRecord) values.get(0).get("after");
    assertThat(snapshot.get("full_name").toString()).isEqualTo("Nguyễn Văn An");
    // io.debezium.time.Date: days since epoch, kept as int with connect.name.
    assertThat(snapshot.get("birth_date")).isEqualTo(7441);
    assertThat(snapshot.get("updated_at")).isEqualTo(1_704_164_645_123_456L);
    Schema amountSchema = snapshot.getSchema().getField("amount").schema().getTypes().get(1);
    BigDecimal amount =
        new Conversions.DecimalConversion()
            .fromBytes(
                (ByteBuffer) snapshot.get("amount"), amountSchema, amountSchema.getLogicalType());
    assertThat(amount).isEqualByComparingTo("1234.50");
    assertThat(((LogicalTypes.Decimal) amountSchema.getLogicalType()).getScale()).isEqualTo(2);

    GenericRecord insert = (GenericRecord) values.get(1).get("after");
    assertThat(insert.get("full_name").toString()).isEqualTo("Trần Thị Bình");
    assertThat(insert.get("birth_date")).isNull();

    GenericRecord update = values.get(2);
    assertThat(((GenericRecord) update.get("before")).get("full_name").toString())
        .isEqualTo("Nguyễn Văn An");
    assertThat(((GenericRecord) update.get("after")).get("full_name").toString())
        .isEqualTo("Nguyễn Văn Ân");

    GenericRecord delete = values.get(3);
    assertThat(delete.get("after")).isNull();
    assertThat(((GenericRecord) delete.get("before")).get("full_name").toString())
        .isEqualTo("Trần Thị Bình");
    GenericRecord source = (GenericRecord) delete.get("source");
    assertThat(source.get("table").toString()).isEqualTo("citizen");
    assertThat(source.get("db").toString()).isEqualTo(db);
    assertThat(source.get("lsn")).isNotNull();

    // A stock Confluent client resolves the id through the ccompat API.
    int id = ids.iterator().next();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.ccompatUrl() + "/schemas/ids/" + id))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("Envelope").contains("citizen");
  }

  @Test
  void restartResumesFromCommittedOffsetsWithoutLosingChanges() throws Exception {
    String agency = stack.uniqueName("bhxh");
    String db = stack.uniqueName("capture");
    stack.postgres().createDatabaseIfMissing(db);
    sql(
        db,
        "CREATE TABLE policy (id int PRIMARY KEY, holder text)",
        "ALTER TABLE policy REPLICA IDENTITY FULL");
    String topic = DebeziumCapture.rawTopic(agency, "policy");
    Properties props = connectorProperties(agency, db, false);

    try (DebeziumCapture capture = Captures.start(agency, props)) {
      capture.awaitStarted(Duration.ofSeconds(60));
      sql(db, "INSERT INTO policy VALUES (1, 'a')");
      Captures.await(() -> capture.captured(topic) >= 1, capture, "first insert");
    }
    // Written while capture is down: must come from the replication slot after restart.
    sql(db, "INSERT INTO policy VALUES (2, 'b')", "UPDATE policy SET holder = 'c' WHERE id = 1");
    Properties again = connectorProperties(agency, db, true);
    again.setProperty(
        "offset.storage.file.filename", props.getProperty("offset.storage.file.filename"));
    again.setProperty("slot.name", props.getProperty("slot.name"));
    again.setProperty("publication.name", props.getProperty("publication.name"));
    try (DebeziumCapture capture = Captures.start(agency, again)) {
      capture.awaitStarted(Duration.ofSeconds(60));
      Captures.await(() -> capture.captured(topic) >= 2, capture, "changes made while stopped");
    }
    List<ConsumerRecord<byte[], byte[]>> raw = consumeAll(topic, 3);
    List<String> ops = new ArrayList<>();
    try (AvroKafkaDeserializer<GenericRecord> serde = new AvroKafkaDeserializer<>()) {
      serde.configure(stack.avroSerdeConfig(), false);
      for (ConsumerRecord<byte[], byte[]> r : raw) {
        GenericRecord v = serde.deserialize(topic, r.headers(), r.value());
        ops.add(v.get("op") + ":" + ((GenericRecord) v.get("after")).get("id"));
      }
    }
    assertThat(ops).containsExactly("c:1", "c:2", "u:1");
  }

  @Test
  void schemasAreRegisteredOncePerShapeNotPerRecord() throws Exception {
    String agency = stack.uniqueName("dancu");
    String db = stack.uniqueName("capture");
    stack.postgres().createDatabaseIfMissing(db);
    sql(db, "CREATE TABLE resident (id int PRIMARY KEY, commune text)");
    String topic = DebeziumCapture.rawTopic(agency, "resident");
    long postsBefore = stack.registryPosts(null);
    try (DebeziumCapture capture = startCapture(agency, db, true)) {
      capture.awaitStarted(Duration.ofSeconds(60));
      sql(db, "INSERT INTO resident SELECT g, 'Xã ' || g FROM generate_series(1, 500) g");
      Captures.await(() -> capture.captured(topic) >= 500, capture, "500 inserts");
    }
    // Key and value schema once each (plus any client retries on a busy machine); Apicurio
    // serde 3.1.7 alone would POST twice per record, about 1000 times here.
    assertThat(stack.registryPosts(null) - postsBefore).isBetween(2L, 20L);
  }

  private DebeziumCapture startCapture(String agency, String db, boolean dropSlotOnStop) {
    return Captures.start(agency, connectorProperties(agency, db, dropSlotOnStop));
  }

  private Properties connectorProperties(String agency, String db, boolean dropSlotOnStop) {
    Properties p = Captures.postgres(agency, stack.postgres(), db);
    p.setProperty("slot.drop.on.stop", Boolean.toString(dropSlotOnStop));
    p.setProperty("schema.include.list", "public");
    return p;
  }

  private void sql(String db, String... statements) throws SQLException {
    try (Connection c = stack.postgres().connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, stack.uniqueName("it"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // One more short poll so an unexpected extra record fails the size assertions.
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }
}
