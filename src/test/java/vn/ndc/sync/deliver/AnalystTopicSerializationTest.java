package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.AnalystPerson;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.enrich.TestRecords;

class AnalystTopicSerializationTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
  private static final Pseudonyms PSEUDONYMS = Pseudonyms.withSecret(SECRET);
  private static final String CITIZEN = "079198042616";

  private static Person merged() {
    return Person.newBuilder(
            TestRecords.person("civil-registry")
                .personalId(CITIZEN)
                .formerId("023456789")
                .ethnicity("Khmer")
                .name("Thạch Thị Sa Ra")
                .born("1998-05-06")
                .sex(Sex.FEMALE)
                .phone("+84912345678")
                .livesIn("79")
                .build())
        .setMatchMethod(MatchMethod.PERSONAL_ID)
        .setSources(List.of("civil-registry", "health-insurance"))
        .build();
  }

  @Test
  void theAnalystsSchemaHasNoSensitiveField() {
    for (Schema.Field f : AnalystPerson.getClassSchema().getFields()) {
      assertThat(f.getProp("classification")).as(f.name()).isIn("public", "personal");
    }
  }

  @Test
  void anAnalystSeesThePersonWithoutItsSensitiveFieldsUnderAKeyedPseudonym() throws Exception {
    Person person = merged();

    AnalystPerson seen = AnalystTopicSerialization.analystView(person, PSEUDONYMS);

    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(SECRET);
    assertThat(seen.getPersonRef())
        .isEqualTo(
            HexFormat.of().formatHex(sha256.digest(CITIZEN.getBytes(StandardCharsets.UTF_8))));
    assertThat(seen.getFullName()).isEqualTo("Thạch Thị Sa Ra");
    assertThat(seen.getDateOfBirth()).isEqualTo(person.getDateOfBirth());
    assertThat(seen.getSex()).isEqualTo(Sex.FEMALE);
    assertThat(seen.getPhone()).isEqualTo("+84912345678");
    assertThat(seen.getPermanentAddress()).isEqualTo(person.getPermanentAddress());
    assertThat(seen.getLineage()).isEqualTo(person.getLineage());
    assertThat(seen.getMatchMethod()).isEqualTo(MatchMethod.PERSONAL_ID);
    assertThat(seen.getSources()).containsExactly("civil-registry", "health-insurance");
    assertThat(seen.toString()).doesNotContain(CITIZEN, "023456789", "Khmer");
  }

  @Test
  void anotherSecretGivesAnotherPseudonym() {
    Pseudonyms other = Pseudonyms.withSecret("fedcba9876543210fedcba9876543210".getBytes());

    assertThat(other.of(CITIZEN)).isNotEqualTo(PSEUDONYMS.of(CITIZEN));
    assertThat(PSEUDONYMS.of(CITIZEN)).isEqualTo(PSEUDONYMS.of(CITIZEN));
    assertThatThrownBy(() -> Pseudonyms.withSecret(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDeletedPersonIsATombstoneOfItsPseudonym() {
    Person deleted = Person.newBuilder(merged()).setDeleted(true).build();

    ProducerRecord<byte[], byte[]> record =
        AnalystTopicSerialization.tombstone("ndc.person-analyst", deleted, PSEUDONYMS, 7L);

    assertThat(record.topic()).isEqualTo("ndc.person-analyst");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(PSEUDONYMS.of(CITIZEN));
    assertThat(record.value()).isNull();
    assertThat(record.timestamp()).isEqualTo(7L);
  }
}
