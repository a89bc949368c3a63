package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.job.DeadLetters;

/** The standardize step routes each change to the person stream or to the dead letters. */
class StandardizePersonTest {

  private static final EntityMapping CIVIL_REGISTRY =
      EntityMapping.load(
          Path.of(System.getProperty("ndc.project.dir", "."))
              .resolve("connectors/civil-registry/mapping.yaml"));

  private static SourceChange change(String agency, String table, Map<String, String> row) {
    return SourceChange.newBuilder()
        .setAgency(agency)
        .setDatabase("civil_registry")
        .setTable(table)
        .setOperation("c")
        .setPosition("lsn=0/1")
        .setVersion(1)
        .setCommitTime(Instant.ofEpochMilli(1000))
        .setIngestTime(Instant.ofEpochMilli(2000))
        .setRow(row)
        .setRawTopic("raw." + agency + ".nhan_khau")
        .setRawPartition(0)
        .setRawOffset(7)
        .build();
  }

  private static Map<String, String> row(String personalId, String dob) {
    Map<String, String> row = new HashMap<>();
    for (String column : CIVIL_REGISTRY.sourceColumns()) {
      row.put(column, null);
    }
    row.put("id", "1");
    row.put("so_dinh_danh", personalId);
    row.put("ho_ten", "nguyễn văn  an");
    row.put("ngay_sinh", dob);
    row.put("gioi_tinh", "Nam");
    row.put("quoc_tich", "Việt Nam");
    return row;
  }

  private static OneInputStreamOperatorTestHarness<SourceChange, Person> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forProcessFunction(
        new StandardizePerson(List.of(CIVIL_REGISTRY)));
  }

  @Test
  void aValidChangeBecomesACanonicalPerson() throws Exception {
    try (var h = harness()) {
      h.processElement(
          change("civil-registry", "public.nhan_khau", row("001090123456", "15/03/1990")), 0);

      assertThat(h.extractOutputValues()).hasSize(1);
      Person p = h.extractOutputValues().get(0);
      assertThat(p.getPersonKey()).isEqualTo("001090123456");
      assertThat(p.getFullName()).isEqualTo("Nguyễn Văn An");
      assertThat(p.getLineage().getSourcePosition()).isEqualTo("lsn=0/1");
      assertThat(h.getSideOutput(DeadLetters.TAG)).isNull();
    }
  }

  // With an address, so that the record has a demographic match key, which a name changes.
  private static Map<String, String> withAddress(Map<String, String> row) {
    row.put("dia_chi_thuong_tru", "Số 12, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội");
    return row;
  }

  private static SourceChange update(Map<String, String> before, Map<String, String> after) {
    SourceChange update = change("civil-registry", "public.nhan_khau", after);
    update.setOperation("u");
    update.setVersion(2);
    update.setPosition("lsn=0/2");
    update.setBefore(before);
    return update;
  }

  @Test
  void anUpdateThatFilesTheRecordElsewhereSendsTheRetractionOfItsBeforeImageFirst()
      throws Exception {
    Map<String, String> corrected = corrected();
    try (var h = harness()) {
      h.processElement(update(withAddress(row("001090123456", "15/03/1990")), corrected), 0);

      List<Person> out = h.extractOutputValues();
      assertThat(out).hasSize(2);
      Person retraction = out.get(0);
      assertThat(vn.ndc.sync.dedup.Retraction.is(retraction)).isTrue();
      assertThat(retraction.getFullName()).isEqualTo("Nguyễn Văn An");
      assertThat(retraction.getLineage().getSourceVersion()).isEqualTo(2L);
      assertThat(retraction.getLineage().getOperation()).isEqualTo("u");
      assertThat(vn.ndc.sync.dedup.Retraction.matchKeyKept(retraction)).isFalse();
      Person updated = out.get(1);
      assertThat(vn.ndc.sync.dedup.Retraction.is(updated)).isFalse();
      assertThat(updated.getFullName()).isEqualTo("Nguyễn Văn Bình");
    }
  }

  @Test
  void aCorrectedPersonalIdOfAnAgencyKeyedByItEndsTheRecordUnderTheOldIdFirst() throws Exception {
    // The civil-registry maps no sourceKey: its records are keyed by their personal ID.
    try (var h = harness()) {
      h.processElement(
          update(
              withAddress(row("001090123456", "15/03/1990")),
              withAddress(row("001090654321", "15/03/1990"))),
          0);

      List<Person> out = h.extractOutputValues();
      assertThat(out).hasSize(2);
      Person gone = out.get(0);
      assertThat(gone.getPersonKey()).isEqualTo("001090123456");
      assertThat(gone.getDeleted()).isTrue();
      assertThat(gone.getLineage().getOperation()).isEqualTo("d");
      assertThat(gone.getLineage().getSourceVersion()).isEqualTo(2L);
      assertThat(vn.ndc.sync.dedup.Retraction.is(gone)).isFalse();
      assertThat(out.get(1).getPersonKey()).isEqualTo("001090654321");
      assertThat(out.get(1).getDeleted()).isFalse();
    }
  }

  @Test
  void aCorrectedIdOnTheSameMatchKeyIsMarkedSoTheReviewCanSayItWasSuperseded() throws Exception {
    Map<String, String> before = withAddress(row("001090123456", "15/03/1990"));
    before.put("so_cmnd", "012345678");
    Map<String, String> after = new HashMap<>(before);
    after.put("so_cmnd", "012345679");
    try (var h = harness()) {
      h.processElement(update(before, after), 0);

      List<Person> out = h.extractOutputValues();
      assertThat(out).hasSize(2);
      Person retraction = out.get(0);
      assertThat(vn.ndc.sync.dedup.Retraction.is(retraction)).isTrue();
      assertThat(retraction.getFormerId()).isEqualTo("012345678");
      assertThat(vn.ndc.sync.dedup.Retraction.anyIdChanged(retraction)).isTrue();
      assertThat(vn.ndc.sync.dedup.Retraction.matchKeyKept(retraction)).isTrue();
      assertThat(out.get(1).getFormerId()).isEqualTo("012345679");
    }
  }

  private static Map<String, String> corrected() {
    Map<String, String> corrected = withAddress(row("001090123456", "15/03/1990"));
    corrected.put("ho_ten", "Nguyễn Văn Bình");
    return corrected;
  }

  @Test
  void anUpdateOnTheSameKeysOrWithoutABeforeImageSendsNoRetraction() throws Exception {
    Map<String, String> before = withAddress(row("001090123456", "15/03/1990"));
    Map<String, String> newPhone = new HashMap<>(before);
    newPhone.put("so_dien_thoai", "0912345678");
    try (var h = harness()) {
      h.processElement(update(before, newPhone), 0);
      h.processElement(update(null, corrected()), 0);
      // A before image the mapping rejects never passed enrichment: nothing to retract.
      h.processElement(update(withAddress(row("00109012345X", "15/03/1990")), corrected()), 0);

      assertThat(h.extractOutputValues()).hasSize(3).noneMatch(vn.ndc.sync.dedup.Retraction::is);
    }
  }

  @Test
  void aRuleFailureBecomesADeadLetterWithRuleAndPosition() throws Exception {
    try (var h = harness()) {
      h.processElement(
          change("civil-registry", "public.nhan_khau", row("00109012345X", "15/03/1990")), 0);

      assertThat(h.extractOutputValues()).isEmpty();
      List<DeadLetter> dead =
          h.getSideOutput(DeadLetters.TAG).stream().map(r -> r.getValue()).toList();
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).getRule()).startsWith("person.personal-id");
      assertThat(dead.get(0).getSourcePosition()).isEqualTo("lsn=0/1");
      assertThat(dead.get(0).getRawOffset()).isEqualTo(7L);
      assertThat(dead.get(0).getRawRow()).containsEntry("so_dinh_danh", "00109012345X");
    }
  }

  @Test
  void aTableWithoutMappingIsDeadLetteredNotDropped() throws Exception {
    try (var h = harness()) {
      h.processElement(
          change("civil-registry", "public.ho_khau", row("001090123456", "15/03/1990")), 0);

      assertThat(h.extractOutputValues()).isEmpty();
      DeadLetter dead = h.getSideOutput(DeadLetters.TAG).poll().getValue();
      assertThat(dead.getRule()).isEqualTo("mapping.missing");
      assertThat(dead.getMessage())
          .contains("public.ho_khau")
          .contains("connectors/civil-registry/mapping.yaml");
    }
  }
}
