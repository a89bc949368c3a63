package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

/** One NDC person per citizen, by source priority then latest commit per field. */
class MergePersonSourcesTest {

  private static final String ID = "079090000123";
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final List<String> PRIORITY =
      List.of("population", "civil-registry", "health-insurance", "land-registry");

  private KeyedOneInputStreamOperatorTestHarness<String, Person, Person> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new MergePersonSources(PRIORITY, RETENTION),
        MergePersonSources.personalIdKey(),
        Types.STRING);
  }

  private static Person linked(TestRecords.PersonBuilder builder, MatchMethod method) {
    return Resolutions.linked(builder.build(), ID, method);
  }

  private static Person civil() {
    return linked(
        person("civil-registry")
            .personalId(ID)
            .name("Phạm Minh Tuấn")
            .born("1990-04-02")
            .sex(Sex.MALE)
            .livesIn("79")
            .ethnicity("Kinh")
            .version(100),
        MatchMethod.PERSONAL_ID);
  }

  private static Person health(long version) {
    return linked(
        person("health-insurance")
            .formerId("023456789")
            .name("PHAM MINH TUAN")
            .born("1990-04-02")
            .sex(Sex.MALE)
            .phone("+84912000111")
            .livesIn("01")
            .version(version),
        MatchMethod.FORMER_ID);
  }

  private static Person land() {
    return linked(
        person("land-registry")
            .name("Pham Minh Tuan")
            .born("1990-04-02")
            .sex(Sex.MALE)
            .phone("+84988000222")
            .livesIn("48")
            .version(7),
        MatchMethod.DEMOGRAPHIC);
  }

  @Test
  void threeAgenciesMakeOnePersonFieldByFieldBySourcePriority() throws Exception {
    try (var h = harness()) {
      h.processElement(land(), 0);
      h.processElement(health(50), 0);
      h.processElement(civil(), 0);

      List<Person> out = Outputs.main(h);
      assertThat(out).hasSize(3);
      Person merged = out.get(2);
      assertThat(merged.getPersonKey()).isEqualTo(ID);
      assertThat(merged.getFullName()).isEqualTo("Phạm Minh Tuấn"); // civil-registry
      assertThat(merged.getFormerId()).isEqualTo("023456789"); // only health-insurance has it
      assertThat(merged.getPhone()).isEqualTo("+84912000111"); // health-insurance over land
      assertThat(merged.getPermanentAddress().getProvinceCode()).isEqualTo("79");
      assertThat(merged.getEthnicity()).isEqualTo("Kinh");
      assertThat(merged.getSources())
          .containsExactly("civil-registry", "health-insurance", "land-registry");
      assertThat(merged.getMatchMethod()).isEqualTo(MatchMethod.PERSONAL_ID);
      assertThat(merged.getDeleted()).isFalse();
      // Merge versions rise with each emission whatever the agencies' own versions.
      assertThat(out)
          .extracting(p -> p.getLineage().getSourceVersion())
          .isSorted()
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void amongUnlistedAgenciesTheLatestCommitWins() throws Exception {
    try (var h = harness()) {
      h.processElement(
          linked(person("tax").name("Old Name").version(5), MatchMethod.PERSONAL_ID), 0);
      h.processElement(
          linked(person("police").name("New Name").version(9), MatchMethod.PERSONAL_ID), 0);

      assertThat(Outputs.main(h))
          .last()
          .satisfies(
              p -> {
                assertThat(p.getFullName()).isEqualTo("New Name");
                assertThat(p.getSources()).containsExactly("police", "tax");
              });
    }
  }

  @Test
  void aStaleContributionIsIgnored() throws Exception {
    try (var h = harness()) {
      h.processElement(health(50), 0);
      h.processElement(health(50), 0);
      h.processElement(health(40), 0);

      assertThat(Outputs.main(h)).hasSize(1);
    }
  }

  @Test
  void deletesWithdrawOneAgencyThenTheWholePersonThenTheStateExpires() throws Exception {
    try (var h = harness()) {
      h.processElement(civil(), 0);
      h.processElement(health(50), 0);
      Outputs.main(h);

      h.processElement(
          linked(
              person("civil-registry").personalId(ID).version(101).deleted(),
              MatchMethod.PERSONAL_ID),
          0);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getDeleted()).isFalse();
                assertThat(p.getFullName()).isEqualTo("PHAM MINH TUAN");
                assertThat(p.getSources()).containsExactly("health-insurance");
              });

      // A redelivered civil-registry insert cannot bring its contribution back.
      h.processElement(civil(), 0);
      assertThat(Outputs.main(h)).isEmpty();

      h.processElement(
          linked(
              person("health-insurance").formerId("023456789").version(51).deleted(),
              MatchMethod.FORMER_ID),
          0);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getDeleted()).isTrue();
                assertThat(p.getPersonKey()).isEqualTo(ID);
                assertThat(p.getSources()).isEmpty();
              });
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      h.setProcessingTime(RETENTION.toMillis());
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aReturningContributionCancelsItsDeleteExpiry() throws Exception {
    try (var h = harness()) {
      h.processElement(health(50), 0);
      h.processElement(
          linked(
              person("health-insurance").formerId("023456789").version(51).deleted(),
              MatchMethod.FORMER_ID),
          0);
      h.processElement(health(52), 0);

      assertThat(Outputs.main(h))
          .extracting(Person::getDeleted)
          .containsExactly(false, true, false);
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aWithdrawnLinkLeavesTheMergeAndMayComeBack() throws Exception {
    try (var h = harness()) {
      h.processElement(civil(), 0);
      h.processElement(land(), 0);
      Outputs.main(h);

      h.processElement(Resolutions.withdrawal(land()), 0);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(p -> assertThat(p.getSources()).containsExactly("civil-registry"));

      h.processElement(land(), 0);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> assertThat(p.getSources()).containsExactly("civil-registry", "land-registry"));
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  /** A retraction of {@code version}'s row by version 101, which carries another personal ID. */
  private static Person retractionOf(Person version) {
    Person update =
        Person.newBuilder(version)
            .setPersonalId("079090000999")
            .setMatchMethod(null)
            .setLineage(TestRecords.lineage("civil-registry", 101, "u"))
            .build();
    Person retraction = TestRecords.retraction(version, update);
    retraction.setPersonalId(ID); // keyed, as the ID step sends it, by the citizen of its version
    return retraction;
  }

  @Test
  void aRetractionTakesBackTheOlderVersionOfItsOwnRowOnly() throws Exception {
    try (var h = harness()) {
      h.processElement(civil(), 0);
      h.processElement(land(), 0);
      Outputs.main(h);

      // Another row of the same agency is not the retracted one.
      Person otherRow = Person.newBuilder(civil()).setSourceKey("other-row").build();
      h.processElement(retractionOf(otherRow), 0);
      assertThat(Outputs.main(h)).isEmpty();

      h.processElement(retractionOf(civil()), 0);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(p -> assertThat(p.getSources()).containsExactly("land-registry"));
      // A second retraction of the same version (another step sent it too) changes nothing.
      h.processElement(retractionOf(civil()), 0);
      assertThat(Outputs.main(h)).isEmpty();
    }
  }

  @Test
  void aRetractionLeavesAVersionAsNewAsItselfInPlace() throws Exception {
    Person version101 =
        Person.newBuilder(civil())
            .setLineage(TestRecords.lineage("civil-registry", 101, "u"))
            .build();
    try (var h = harness()) {
      h.processElement(version101, 0);
      Outputs.main(h);

      h.processElement(retractionOf(civil()), 0);

      assertThat(Outputs.main(h)).isEmpty();
    }
  }
}
