package vn.ndc.sync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

class ReconciliationTest {

  @Test
  void agreesWhenKeysAndContentMatchAndRejectsAreAbsent() {
    ExpectedRows expected = new ExpectedRows();
    expected.mapped("a", 1L);
    expected.mapped("b", 2L);
    expected.rejected("person.personal-id.format");
    SourceReport report = Reconciliation.compare("ag", "t", expected, Map.of("a", 1L, "b", 2L));
    assertThat(report.agrees()).isTrue();
    assertThat(report.sourceRows()).isEqualTo(3);
    assertThat(report.rejected()).isEqualTo(1);
    assertThat(report.expected()).isEqualTo(2);
    assertThat(report.ndcRows()).isEqualTo(2);
  }

  @Test
  void namesMissingExtraAndDifferentKeys() {
    ExpectedRows expected = new ExpectedRows();
    expected.mapped("same", 1L);
    expected.mapped("changed", 2L);
    expected.mapped("gone", 3L);
    Map<String, Long> ndc = new HashMap<>();
    ndc.put("same", 1L);
    ndc.put("changed", 20L);
    ndc.put("stray", 4L);
    SourceReport report = Reconciliation.compare("ag", "t", expected, ndc);
    assertThat(report.agrees()).isFalse();
    assertThat(report.missing()).containsExactly("gone");
    assertThat(report.extra()).containsExactly("stray");
    assertThat(report.different()).containsExactly("changed");
  }

  @Test
  void aKeyOnSeveralSourceRowsAcceptsTheContentOfAnyOfThem() {
    ExpectedRows expected = new ExpectedRows();
    expected.mapped("k", 1L);
    expected.mapped("k", 2L);
    assertThat(Reconciliation.compare("ag", "t", expected, Map.of("k", 2L)).agrees()).isTrue();
    SourceReport wrong = Reconciliation.compare("ag", "t", expected, Map.of("k", 3L));
    assertThat(wrong.different()).containsExactly("k");
    assertThat(wrong.duplicateKeys()).isEqualTo(1);
    assertThat(wrong.expected()).isEqualTo(1);
  }

  @Test
  void countsDisagreeingIsAMismatchEvenWithoutKeys() {
    SourceReport report = Reconciliation.compare("ag", "t", new ExpectedRows(), Map.of("x", 1L));
    assertThat(report.agrees()).isFalse();
    assertThat(report.extra()).containsExactly("x");
  }

  @Test
  void printsAtMostLimitKeysThenACount() {
    ExpectedRows expected = new ExpectedRows();
    for (int i = 0; i < 25; i++) {
      expected.mapped(String.format("k%02d", i), i);
    }
    StringWriter text = new StringWriter();
    Reconciliation.compare("ag", "t", expected, Map.of()).print(new PrintWriter(text), 20, true);
    assertThat(text.toString())
        .contains("missing keys           25")
        .contains("k19")
        .doesNotContain("k20")
        .contains("... and 5 more")
        .contains("MISMATCH");
  }

  @Test
  void keysAreMaskedUnlessAskedFor() {
    ExpectedRows expected = new ExpectedRows();
    expected.mapped("001090123456", 1);
    expected.mapped("cmnd:012345678", 2);
    SourceReport report = Reconciliation.compare("ag", "t", expected, Map.of());

    StringWriter masked = new StringWriter();
    report.print(new PrintWriter(masked), 20, false);
    assertThat(masked.toString())
        .contains("    001******456", "    cmnd:012***678")
        .doesNotContain("001090123456", "012345678");

    StringWriter whole = new StringWriter();
    report.print(new PrintWriter(whole), 20, true);
    assertThat(whole.toString()).contains("    001090123456", "    cmnd:012345678");
    assertThat(SourceReport.masked("row:42")).isEqualTo("row:**");
  }

  @Test
  void contentHashIgnoresLineageButNotCanonicalFields() {
    Person p = person("Nguyễn Văn An", Instant.parse("2025-01-01T00:00:00Z"));
    Person sameContentLater = person("Nguyễn Văn An", Instant.parse("2025-06-01T00:00:00Z"));
    Person renamed = person("Nguyễn Văn Anh", Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(CanonicalContent.of(p).hash())
        .isEqualTo(CanonicalContent.of(sameContentLater).hash());
    assertThat(CanonicalContent.of(p).hash()).isNotEqualTo(CanonicalContent.of(renamed).hash());
    assertThat(CanonicalContent.of(p).differingColumns(CanonicalContent.of(renamed)))
        .containsExactly("full_name");
  }

  @Test
  void contentHashTellsNullFromEmptyAndKeepsFieldBoundaries() {
    Person a = person("Ab", Instant.EPOCH);
    a.setEthnicity("c");
    Person b = person("A", Instant.EPOCH);
    b.setEthnicity("bc");
    assertThat(CanonicalContent.of(a).hash()).isNotEqualTo(CanonicalContent.of(b).hash());
    Person nullPhone = person("A", Instant.EPOCH);
    Person emptyPhone = person("A", Instant.EPOCH);
    emptyPhone.setPhone("");
    assertThat(CanonicalContent.of(nullPhone).hash())
        .isNotEqualTo(CanonicalContent.of(emptyPhone).hash());
  }

  private static Person person(String name, Instant commit) {
    return Person.newBuilder()
        .setPersonKey("001090123456")
        .setPersonalId("001090123456")
        .setFullName(name)
        .setDateOfBirth(LocalDate.of(1990, 3, 15))
        .setSex(Sex.MALE)
        .setNationality("VN")
        .setDeleted(false)
        .setLineage(
            Lineage.newBuilder()
                .setSourceAgency("civil-registry")
                .setSourceDatabase("civil_registry")
                .setSourceTable("public.nhan_khau")
                .setOperation("c")
                .setSourcePosition("lsn=0/1")
                .setSourceVersion(commit.toEpochMilli())
                .setSourceCommitTime(commit)
                .setIngestTime(commit)
                .setSchemaVersion("1")
                .build())
        .build();
  }
}
