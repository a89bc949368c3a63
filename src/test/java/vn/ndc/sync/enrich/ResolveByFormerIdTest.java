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

/** Step (b): a former ID held by exactly one citizen links the record to its personal ID. */
class ResolveByFormerIdTest {

  private static final Duration TTL = Duration.ofDays(1);
  private static final String FORMER = "012345678";

  private final ResolveByFormerId function = new ResolveByFormerId(TTL);

  private KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      harness() throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        function, ResolveByFormerId.entryKey(), ResolveByFormerId.recordKey(), Types.STRING);
  }

  private static Citizen holder(String personalId) {
    return citizen(personalId)
        .formerId(FORMER)
        .name("Trần Thị Mai")
        .born("1975-06-01")
        .sex(Sex.FEMALE)
        .birthProvince("079")
        .build();
  }

  private static CitizenIndexEntry file(Citizen c) {
    return Resolutions.entry(FORMER, IndexEntryKind.FILE, c);
  }

  private static Person record() {
    return person("health-insurance")
        .formerId(FORMER)
        .name("TRAN THI MAI")
        .born("1975-06-01")
        .sex(Sex.FEMALE)
        .livesIn("79")
        .sourceKey("bh-1")
        .build();
  }

  @Test
  void aRetractionGoesOnUnlinkedLeavesNoClaimAndSendsTheOneHoldersLinkToTheMerge()
      throws Exception {
    Person update = Person.newBuilder(record()).setFormerId("012345679").build();
    update.setLineage(TestRecords.lineage("health-insurance", 2, "u"));
    Person retraction = TestRecords.retraction(record(), update);
    try (var h = harness()) {
      h.processElement2(retraction, 0); // no holder: a record would leave a claim
      assertThat(Outputs.main(h)).isEmpty();
      h.processElement1(file(holder("079175000001")), 0);
      h.processElement2(retraction, 0); // one holder: its version was linked to it

      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).containsExactly(retraction, retraction);
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX)).isEmpty();
      assertThat(function.matched("health-insurance")).isZero();
      // For the merge, on the output that carried the link, keyed by the holder.
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(vn.ndc.sync.dedup.Retraction.is(m)).isTrue();
                assertThat(m.getPersonalId()).isEqualTo("079175000001");
              });
    }
  }

  @Test
  void aFormerIdOfOneCitizenAttachesItsPersonalId() throws Exception {
    try (var h = harness()) {
      h.processElement1(file(holder("079175000001")), 0);
      h.processElement2(record(), 0);

      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPersonalId()).isEqualTo("079175000001");
                // The record keeps its own key; the merge keys it by the attached personal ID.
                assertThat(p.getPersonKey()).isEqualTo("cmnd:" + FORMER);
                assertThat(p.getFormerId()).isEqualTo(FORMER);
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.FORMER_ID);
                assertThat(p.getSourceKey()).isEqualTo("bh-1");
              });
      assertThat(function.matched("health-insurance")).isEqualTo(1);
    }
  }

  @Test
  void aContradictingPersonalIdOrTwoHoldersGoOnUnresolved() throws Exception {
    try (var h = harness()) {
      h.processElement1(file(holder("079175000001")), 0);
      Person contradicting = Person.newBuilder(record()).setPersonalId("079175999999").build();
      h.processElement2(contradicting, 0);
      h.processElement1(file(holder("079175000002")), 0);
      h.processElement2(record(), 0);

      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).hasSize(2);

      // The population corrects one of them: the former ID is unique again.
      h.processElement1(
          Resolutions.entry(FORMER, IndexEntryKind.WITHDRAW, holder("079175000002")), 0);
      h.processElement2(record(), 0);
      assertThat(Outputs.main(h)).extracting(Person::getPersonalId).containsExactly("079175000001");
    }
  }

  @Test
  void anUnknownFormerIdLeavesAClaimAnsweredWhenTheCitizenIsFiled() throws Exception {
    try (var h = harness()) {
      h.processElement2(record(), 0);
      assertThat(Outputs.side(h, EnrichTags.UNRESOLVED)).hasSize(1);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the claim, which expires by TTL
      assertThat(h.numProcessingTimeTimers()).isZero();

      h.processElement1(file(holder("079175000001")), 0);
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .extracting(e -> e.getKind() + " " + e.getLookupKey())
          .containsExactly("CLAIM tran thi mai|1975-06-01|FEMALE|79");
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the holder
    }
  }

  @Test
  void anUnansweredClaimExpires() throws Exception {
    try (var h = harness()) {
      h.setStateTtlProcessingTime(0);
      h.processElement2(record(), 0);

      h.setStateTtlProcessingTime(TTL.toMillis());
      h.setProcessingTime(TTL.toMillis());
      h.processElement1(file(holder("079175000001")), TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX)).isEmpty();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the holder
    }
  }
}
