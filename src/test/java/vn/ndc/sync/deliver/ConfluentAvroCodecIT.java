package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.testing.HttpJson;

/** The wire-format codec against the real registry. */
class ConfluentAvroCodecIT {

  private final SharedTestStack stack = SharedTestStack.get();

  private static Person person(String key) {
    return Person.newBuilder()
        .setPersonKey(key)
        .setPersonalId(key)
        .setFullName("Đặng Thị Thu")
        .setDateOfBirth(LocalDate.of(1985, 2, 3))
        .setSex(Sex.FEMALE)
        .setLineage(
            Lineage.newBuilder()
                .setSourceAgency("civil-registry")
                .setSourceDatabase("civil_registry")
                .setSourceTable("public.nhan_khau")
                .setOperation("c")
                .setSourcePosition("lsn=0/1")
                .setSourceVersion(1)
                .setSourceCommitTime(Instant.ofEpochMilli(1))
                .setIngestTime(Instant.ofEpochMilli(2))
                .setSchemaVersion("1")
                .build())
        .build();
  }

  @Test
  void encodesOnceRegisteredWholeAndDecodesBack() {
    String topic = stack.uniqueName("codec-topic");
    Map<String, Object> serde = stack.avroSerdeConfig();
    ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(serde, false);
    byte[] first = encoder.encode(topic, person("001185000001"));
    byte[] second = encoder.encode(topic, person("001185000002"));

    assertThat(first[0]).isZero();
    assertThat(ConfluentAvroEncoder.schemaId(second))
        .isEqualTo(ConfluentAvroEncoder.schemaId(first));
    Schema registered =
        new SchemaRegistryClient(stack.ccompatUrl())
            .schemaById(ConfluentAvroEncoder.schemaId(first));
    assertThat(registered).isEqualTo(Person.getClassSchema());

    GenericRecord decoded = new ConfluentAvroDecoder(serde).decode(topic, second);
    assertThat(decoded.get("personKey").toString()).isEqualTo("001185000002");
    assertThat(decoded.get("fullName").toString()).isEqualTo("Đặng Thị Thu");
  }

  @Test
  void preparedSchemaIsRegisteredBeforeTheFirstRecordWhichEncodesWithoutARegistryCall()
      throws Exception {
    String topic = stack.uniqueName("prepared-topic");
    String subject = SchemaRegistryClient.subject(topic, false);
    Map<String, Object> serde = stack.avroSerdeConfig();
    ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(serde, false);
    encoder.prepare(topic, Person.getClassSchema(), true);

    // Asked of the registry itself, before any record: a 404 here means prepare registered nothing.
    JsonNode latest =
        HttpJson.get(stack.ccompatUrl() + "/subjects/" + subject + "/versions/latest");
    assertThat(new Schema.Parser().parse(latest.path("schema").asText()))
        .isEqualTo(Person.getClassSchema());
    long postsBefore = stack.registryPosts(subject);
    assertThat(postsBefore).as("prepare's registration, as the log counts it").isPositive();
    byte[] bytes = encoder.encode(topic, person("001185000004"));

    assertThat(stack.registryPosts(subject))
        .as("registry POSTs on %s by the first encode after prepare", subject)
        .isEqualTo(postsBefore);
    assertThat(ConfluentAvroEncoder.schemaId(bytes)).isEqualTo(latest.path("id").asInt());
    GenericRecord decoded = new ConfluentAvroDecoder(serde).decode(topic, bytes);
    assertThat(decoded.get("personKey").toString()).isEqualTo("001185000004");
  }

  @Test
  void decodesWhatTheApicurioSerdeWroteWithSchemaReferences() {
    // The Apicurio serde registers Sex, Address and Lineage as referenced artifacts.
    String topic = stack.uniqueName("apicurio-topic");
    Map<String, Object> serde = stack.avroSerdeConfig();
    try (AvroKafkaSerializer<Person> apicurio = new AvroKafkaSerializer<>()) {
      apicurio.configure(serde, false);
      byte[] bytes = apicurio.serialize(topic, person("001185000003"));

      GenericRecord decoded = new ConfluentAvroDecoder(serde).decode(topic, bytes);

      assertThat(decoded.get("personKey").toString()).isEqualTo("001185000003");
      assertThat(decoded.get("sex").toString()).isEqualTo("FEMALE");
    }
  }

  @Test
  void anIncompatibleChangeIsRefusedByTheRegistry() {
    String topic = stack.uniqueName("evolution-topic");
    SchemaRegistryClient registry = new SchemaRegistryClient(stack.ccompatUrl());
    String subject = SchemaRegistryClient.subject(topic, false);
    Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
    Schema v2 =
        SchemaBuilder.record("Thing")
            .fields()
            .requiredString("name")
            .requiredInt("age")
            .endRecord();
    registry.register(subject, v1);

    assertThat(registry.checkCompatibility(subject, v2).compatible()).isFalse();
    assertThatThrownBy(() -> registry.register(subject, v2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("409");
  }

  @Test
  void bytesOutsideTheWireFormatAreRefusedWithAReason() {
    ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(stack.avroSerdeConfig());
    assertThatThrownBy(() -> decoder.decode("t", new byte[] {7, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic byte 0");
  }
}
