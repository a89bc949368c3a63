package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
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

  /** Parameter index → value bound by {@code bindSourceRecord}. */
  private static Map<Integer, Object> bound(Person p) throws Exception {
    Map<Integer, Object> values = new HashMap<>();
    PreparedStatement st =
        (PreparedStatement)
            Proxy.newProxyInstance(
                PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                  if (method.getName().startsWith("set")) {
                    values.put((Integer) args[0], args[1]);
                  }
                  return null;
                });
    PersonStoreSink.bindSourceRecord(st, p);
    return values;
  }

  private static int column(String name) {
    return PersonStoreSink.COLUMNS.indexOf(name) + 1;
  }

  @Test
  void aWithdrawnDemographicLinkLeavesTheReportedPersonalIdEmpty() throws Exception {
    // A land-registry row without any ID, linked by demographics to a citizen, then withdrawn.
    Person withdrawal = person("row:314", "079198042616", MatchMethod.DEMOGRAPHIC, true);
    Map<Integer, Object> values = bound(withdrawal);
    assertThat(values.get(column("personal_id"))).isNull();
    assertThat(values.get(column("deleted"))).isEqualTo(false);
    int resolved = PersonStoreSink.COLUMNS.size() + 1;
    assertThat(values.get(resolved)).isNull();
    assertThat(values.get(resolved + 1)).isNull();
  }

  @Test
  void aLinkedRecordKeepsTheReportedIdAndNamesTheCitizen() throws Exception {
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
