package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

/** Step (a): personal IDs checked against the population, which is re-filed for later steps. */
class ResolveByPersonalIdTest {

  private static final Duration TTL = Duration.ofDays(1);
  static final String ID = "001090123456";
  static final String KEY = "nguyen van an|1990-03-15|MALE|01";

  private final ResolveByPersonalId function = new ResolveByPersonalId(TTL);

  private KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        function, ResolveByPersonalId.citizenKey(), ResolveByPersonalId.recordKey(), Types.STRING);
  }

  private static TestRecords.CitizenBuilder an() {
    return citizen(ID)
        .formerId("012345678")
        .name("Nguyễn Văn An")
        .born("1990-03-15")
        .sex(Sex.MALE)
        .birthProvince("001")
        .livesIn("01");
  }

  private static Person record() {
    return record("7");
  }

  /** A civil-registry row of the citizen {@link #ID}, whom the population may not know yet. */
  static Person record(String sourceKey) {
    return person("civil-registry")
        .personalId(ID)
        .name("Nguyễn Văn An")
        .born("1990-03-15")
        .sex(Sex.MALE)
        .livesIn("01")
        .sourceKey(sourceKey)
        .build();
  }

  /** The retraction of {@link #record()} by an update that carries {@code updatedId}. */
  private static Person retractionBy(String updatedId) {
    Person update = Person.newBuilder(record()).setPersonalId(updatedId).build();
    update.setLineage(TestRecords.lineage("civil-registry", 2, "u"));
    return TestRecords.retraction(record(), update);
  }

  @Test
  void aRetractionGoesOnToTheLaterStepsAndChangesNothingHereWhateverTheCitizen() throws Exception {
    Person corrected = retractionBy("001090123457");
    try (var h = harness()) {
      h.processElement2(corrected, 0); // the citizen unknown: no claim, nothing for the merge
      assertThat(Outputs.main(h)).isEmpty();
      h.processElement1(an().build(), 0);
      Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX);
      Outputs.side(h, EnrichTags.FORMER_ID_INDEX);
      int stateEntries = h.numKeyedStateEntries();
      h.processElement2(corrected, 0); // the citizen known: not linked, not a delete

      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).containsExactly(corrected, corrected);
      assertThat(h.numKeyedStateEntries()).isEqualTo(stateEntries);
      assertThat(function.matched("civil-registry", MatchMethod.PERSONAL_ID)).isZero();
      // Its version was linked to this citizen, and the update carries another ID: the merge
      // takes the retraction, as it is, from the output that carried the link.
      assertThat(Outputs.main(h)).containsExactly(corrected);
    }
  }

  @Test
  void aRetractionWhoseUpdateKeepsThePersonalIdLeavesTheMergeAlone() throws Exception {
    try (var h = harness()) {
      h.processElement1(an().build(), 0);
      // Another name, say: the update links to this citizen again and replaces its version there.
      h.processElement2(retractionBy(ID), 0);

      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).hasSize(1);
    }
  }

  @Test
  void aKnownPersonalIdIsLinkedAndTheCitizenIsFiledForTheLaterSteps() throws Exception {
    try (var h = harness()) {
      h.processElement1(an().build(), 0);
      h.processElement2(record(), 0);

      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPersonKey()).isEqualTo(ID);
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.PERSONAL_ID);
              });
      assertThat(Outputs.side(h, EnrichTags.FORMER_ID_INDEX))
          .extracting(CitizenIndexEntry::getLookupKey, CitizenIndexEntry::getKind)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("012345678", IndexEntryKind.FILE));
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .extracting(CitizenIndexEntry::getLookupKey)
          .containsExactly(KEY);
      assertThat(function.matched("civil-registry", MatchMethod.PERSONAL_ID)).isEqualTo(1);
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aCorrectedCitizenIsWithdrawnFromItsOldKeysAndADeletedOneFromAll() throws Exception {
    try (var h = harness()) {
      h.processElement1(an().build(), 0);
      Outputs.side(h, EnrichTags.FORMER_ID_INDEX);
      Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX);

      h.processElement1(an().name("Nguyễn Văn Bình").formerId("087654321").version(2).build(), 0);
      assertThat(Outputs.side(h, EnrichTags.FORMER_ID_INDEX))
          .extracting(e -> e.getKind() + " " + e.getLookupKey())
          .containsExactly("WITHDRAW 012345678", "FILE 087654321");
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .extracting(e -> e.getKind() + " " + e.getLookupKey())
          .containsExactly("WITHDRAW " + KEY, "FILE nguyen van binh|1990-03-15|MALE|01");

      // An older version redelivered changes nothing.
      h.processElement1(an().version(1).build(), 0);
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX)).isEmpty();
      assertThat(function.staleDropped(an().build().getLineage().getSourceAgency()))
          .as("and counted")
          .isEqualTo(1);

      h.processElement1(an().version(3).deleted().build(), 0);
      assertThat(Outputs.side(h, EnrichTags.FORMER_ID_INDEX))
          .extracting(e -> e.getKind() + " " + e.getLookupKey())
          .containsExactly("WITHDRAW 087654321");
      assertThat(h.numKeyedStateEntries()).isZero();

      h.processElement2(record(), 0);
      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).hasSize(1);
    }
  }

  @Test
  void anUnknownPersonalIdGoesOnAndLeavesAClaimThatTheCitizenAnswers() throws Exception {
    try (var h = harness()) {
      // The agency spells the name differently and lives elsewhere: no demographic match.
      Person moved =
          person("health-insurance")
              .personalId(ID)
              .name("Nguyen Van Anh")
              .born("1990-03-15")
              .sex(Sex.MALE)
              .livesIn("79")
              .sourceKey("h1")
              .build();
      h.processElement2(moved, 0);

      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).containsExactly(moved);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the claim, which expires by TTL
      assertThat(h.numProcessingTimeTimers()).isZero();

      h.processElement1(an().build(), 0);
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .extracting(e -> e.getKind() + " " + e.getLookupKey())
          .containsExactly("FILE " + KEY, "CLAIM nguyen van anh|1990-03-15|MALE|79");
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the citizen
    }
  }

  @Test
  void anUnansweredClaimExpiresAndIsReclaimed() throws Exception {
    try (var h = harness()) {
      h.setStateTtlProcessingTime(0);
      h.processElement2(record(), 0);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1);

      // Past the TTL the citizen finds no claim to answer.
      h.setStateTtlProcessingTime(TTL.toMillis());
      h.setProcessingTime(TTL.toMillis());
      h.processElement1(an().name("Nguyễn Văn Bình").build(), TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .extracting(CitizenIndexEntry::getKind)
          .doesNotContain(IndexEntryKind.CLAIM);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the citizen
    }
  }

  @Test
  void recordsWithoutPersonalIdPassStraightOnAndDeletesAreNeverHeldBack() throws Exception {
    try (var h = harness()) {
      Person noId = person("land-registry").formerId("012345678").name("Nguyễn Văn An").build();
      Person delete = person("land-registry").personalId(ID).deleted().build();
      h.processElement2(noId, 0);
      h.processElement2(delete, 0);

      // The delete of an unknown citizen also goes on, to end a version waiting in review.
      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).containsExactly(noId, delete);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getDeleted()).isTrue();
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.PERSONAL_ID);
              });
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }
}
