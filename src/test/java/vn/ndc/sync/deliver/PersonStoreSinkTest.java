package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

class PersonStoreSinkTest {

  /**
   * Column number (1-based, in the upsert's order) → value written by {@code encodeSourceRecord}.
   */
  private static Map<Integer, Object> bound(Person p) {
    CopyText row = new CopyText();
    PersonStoreSink.encodeSourceRecord(row, p);
    String[] fields = row.content().toString().split("\t", -1);
    Map<Integer, Object> values = new HashMap<>();
    for (int i = 0; i < fields.length; i++) {
      values.put(i + 1, fields[i].equals("\\N") ? null : fields[i]);
    }
    return values;
  }

  @Test
  void eachEncoderWritesOneValuePerColumnOfItsUpsert() {
    Person linked = person("001090123456", "001090999999", MatchMethod.FORMER_ID, false);
    CopyText rows = new CopyText();
    PersonStoreSink.UPSERT_SOURCE.encode(rows, linked);
    Person merged = Person.newBuilder(linked).setSources(java.util.List.of("a", "b")).build();
    PersonStoreSink.UPSERT_PERSON.encode(rows, merged);
    String[] lines = rows.content().toString().split("\n");
    assertThat(lines).hasSize(2);
    int named = PersonStoreSink.COLUMNS.size() + 2;
    assertThat(lines[0].split("\t", -1)).hasSize(named);
    assertThat(lines[1].split("\t", -1)).hasSize(named);
    assertThat(PersonStoreSink.UPSERT_SOURCE.upsertSql())
        .contains("resolved_personal_id, match_method, synced_at) SELECT");
    assertThat(PersonStoreSink.UPSERT_PERSON.upsertSql())
        .contains("sources, match_method, synced_at) SELECT");
  }

  private static int column(String name) {
    return PersonStoreSink.COLUMNS.indexOf(name) + 1;
  }

  @Test
  void aWithdrawnDemographicLinkLeavesTheReportedPersonalIdEmpty() {
    // A land-registry row without any ID, linked by demographics to a citizen, then withdrawn.
    Person withdrawal = person("row:314", "079198042616", MatchMethod.DEMOGRAPHIC, true);
    Map<Integer, Object> values = bound(withdrawal);
    assertThat(values.get(column("personal_id"))).isNull();
    assertThat(values.get(column("deleted"))).isEqualTo("f");
    int resolved = PersonStoreSink.COLUMNS.size() + 1;
    assertThat(values.get(resolved)).isNull();
    assertThat(values.get(resolved + 1)).isNull();
  }

  @Test
  void aLinkedRecordKeepsTheReportedIdAndNamesTheCitizen() {
    Person linked = person("001090123456", "001090999999", MatchMethod.FORMER_ID, false);
    Map<Integer, Object> values = bound(linked);
    assertThat(values.get(column("personal_id"))).isEqualTo("001090123456");
    int resolved = PersonStoreSink.COLUMNS.size() + 1;
    assertThat(values.get(resolved)).isEqualTo("001090999999");
    assertThat(values.get(resolved + 1)).isEqualTo("FORMER_ID");
  }

  private static Person person(String key, String citizen, MatchMethod method, boolean deleted) {
    Instant commit = Instant.parse("2026-11-23T10:00:00Z");
    return Person.newBuilder()
        .setPersonKey(key)
        .setPersonalId(citizen)
        .setMatchMethod(method)
        .setFullName("Phạm Thu Trang")
        .setDateOfBirth(LocalDate.of(1998, 12, 16))
        .setSex(Sex.FEMALE)
        .setDeleted(deleted)
        .setLineage(
            Lineage.newBuilder()
                .setSourceAgency("land-registry")
                .setSourceDatabase("land_registry")
                .setSourceTable("public.chu_su_dung")
                .setOperation("c")
                .setSourcePosition("lsn=0/2C00000")
                .setSourceVersion(46_137_856L)
                .setSourceCommitTime(commit)
                .setIngestTime(commit)
                .setSchemaVersion("1")
                .build())
        .build();
  }
}
