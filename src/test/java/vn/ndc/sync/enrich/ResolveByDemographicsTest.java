package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.ReviewReason;
import vn.ndc.sync.avro.ReviewStatus;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.dedup.Retraction;
import vn.ndc.sync.dedup.SourceIdentity;

/** Step (c): a unique demographic match links; the rest wait in review until the data changes. */
class ResolveByDemographicsTest {

  private static final Duration TTL = Duration.ofDays(30);
  private static final String KEY = "le thi hoa|1988-11-20|FEMALE|48";

  private final ResolveByDemographics function = new ResolveByDemographics(TTL);

  private KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      harness() throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        function,
        ResolveByDemographics.entryKey(),
        ResolveByDemographics.recordKey(),
        Types.STRING);
  }

  private static Citizen hoa(String personalId) {
    return citizen(personalId)
        .name("Lê Thị Hoa")
        .born("1988-11-20")
        .sex(Sex.FEMALE)
        .birthProvince("048")
        .livesIn("48")
        .build();
  }

  private static CitizenIndexEntry entry(IndexEntryKind kind, Citizen c) {
    return Resolutions.entry(KEY, kind, c);
  }

  private static Person record(String sourceKey) {
    String nfd = Normalizer.normalize("Lê  Thị Hoà", Normalizer.Form.NFD);
    return person("land-registry")
        .name(nfd)
        .born("1988-11-20")
        .sex(Sex.FEMALE)
        .livesIn("48")
        .sourceKey(sourceKey)
        .build();
  }

  @Test
  void exactlyOneCandidateLinksTheRecord() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.processElement2(record("t-1"), 0);

      assertThat(Outputs.linked(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPersonalId()).isEqualTo("048188000001");
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.DEMOGRAPHIC);
              });
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(function.matched("land-registry", MatchMethod.DEMOGRAPHIC)).isEqualTo(1);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the link is watched for the TTL
    }
  }

  @Test
  void twoCandidatesWaitInReviewUntilThePopulationIsCorrected() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000002")), 0);
      h.processElement2(record("t-1"), 0);

      // The record goes on unlinked, for the per-source store; nothing for the merge.
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getMatchMethod()).isNull();
                assertThat(p.getPersonalId()).isNull();
              });
      PersonReview waiting = Outputs.side(h, EnrichTags.REVIEW).get(0);
      assertThat(waiting.getStatus()).isEqualTo(ReviewStatus.WAITING);
      assertThat(waiting.getReason()).isEqualTo(ReviewReason.AMBIGUOUS);
      assertThat(waiting.getCandidatePersonalIds()).containsExactly("048188000001", "048188000002");
      assertThat(waiting.getReviewKey()).isEqualTo("land-registry|person|t-1");
      assertThat(waiting.getMatchKey()).isEqualTo(KEY);
      assertThat(function.waitingCount()).isEqualTo(1);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      // The second citizen's name is corrected in the population: it leaves this key.
      h.processElement1(entry(IndexEntryKind.WITHDRAW, hoa("048188000002")), 0);

      assertThat(Outputs.linked(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPersonalId()).isEqualTo("048188000001");
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.DEMOGRAPHIC);
              });
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .singleElement()
          .satisfies(r -> assertThat(r.getStatus()).isEqualTo(ReviewStatus.RESOLVED));
      assertThat(function.waitingCount()).isZero();
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the link is watched for the TTL
      h.setProcessingTime(TTL.toMillis());
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the remaining citizen
    }
  }

  @Test
  void aRecordWithoutCandidateIsResolvedWhenTheCitizenIsAddedLater() throws Exception {
    try (var h = harness()) {
      h.processElement2(record("t-1"), 0);
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .singleElement()
          .satisfies(r -> assertThat(r.getReason()).isEqualTo(ReviewReason.NO_CANDIDATE));

      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);

      assertThat(Outputs.linked(h))
          .extracting(Person::getPersonalId)
          .containsExactly("048188000001");
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(PersonReview::getStatus)
          .containsExactly(ReviewStatus.RESOLVED);
      assertThat(function.waitingCount()).isZero();
    }
  }

  @Test
  void aWaitingRecordExpiresAfterTheReviewTtlAndLeavesNoState() throws Exception {
    try (var h = harness()) {
      h.processElement2(record("t-1"), 0);
      Outputs.side(h, EnrichTags.REVIEW);
      h.setProcessingTime(TTL.toMillis());

      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(PersonReview::getStatus)
          .containsExactly(ReviewStatus.EXPIRED);
      assertThat(function.waitingCount()).isZero();
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aTimerThatOutlivedItsRecordChangesNothingAndEveryTimerEndsWithTheTtl() throws Exception {
    try (var h = harness()) {
      h.processElement2(record("t-1"), 0);
      h.setProcessingTime(1_000);
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 1_000);
      assertThat(Outputs.linked(h)).extracting(Person::getPersonalId).hasSize(1);
      Outputs.side(h, EnrichTags.REVIEW);
      // The waiting record's timer stays; the link is watched with a timer of its own.
      assertThat(h.numProcessingTimeTimers()).isEqualTo(2);

      h.setProcessingTime(TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(Outputs.main(h)).isEmpty();
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      h.setProcessingTime(TTL.toMillis() + 1_000);
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the citizen
    }
  }

  @Test
  void aPersonalIdIsNeverOverriddenButAClaimForItResolvesTheRecord() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      Person withOtherId =
          Person.newBuilder(record("t-1"))
              .setPersonalId("048188000009")
              .setPersonKey("048188000009")
              .build();
      h.processElement2(withOtherId, 0);

      assertThat(Outputs.linked(h)).isEmpty();
      PersonReview waiting = Outputs.side(h, EnrichTags.REVIEW).get(0);
      assertThat(waiting.getReason()).isEqualTo(ReviewReason.PERSONAL_ID_UNKNOWN);
      assertThat(waiting.getCandidatePersonalIds()).containsExactly("048188000001");

      // Step (a) learns the citizen 048188000009, filed elsewhere, and sends the claim here.
      Citizen elsewhere =
          citizen("048188000009")
              .name("Lê Thị Hoa")
              .born("1988-11-20")
              .sex(Sex.FEMALE)
              .birthProvince("001")
              .livesIn("01")
              .build();
      h.processElement1(entry(IndexEntryKind.CLAIM, elsewhere), 0);

      assertThat(Outputs.linked(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPersonalId()).isEqualTo("048188000009");
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.PERSONAL_ID);
              });
      // The claim is kept for records still on their way, then expires.
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      h.setProcessingTime(TTL.toMillis());
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the filed citizen
    }
  }

  @Test
  void aRecordThatCanNeverLinkIsRejectedNotKept() throws Exception {
    try (var h = harness()) {
      Person noSex =
          person("land-registry")
              .name("Lê Thị Hoa")
              .born("1988-11-20")
              .livesIn("48")
              .sourceKey("t-2")
              .build();
      h.processElement2(noSex, 0);

      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getStatus()).isEqualTo(ReviewStatus.REJECTED);
                assertThat(r.getReason()).isEqualTo(ReviewReason.INCOMPLETE_MATCH_DATA);
              });
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aNewerVersionOfAWaitingRecordReplacesIt() throws Exception {
    try (var h = harness()) {
      h.processElement2(record("t-1"), 0);
      h.processElement2(Person.newBuilder(record("t-1")).setPhone("+84912345678").build(), 0);
      Person v2 =
          person("land-registry")
              .name("Lê Thị Hoa")
              .born("1988-11-20")
              .sex(Sex.FEMALE)
              .livesIn("48")
              .sourceKey("t-1")
              .version(2)
              .build();
      h.processElement2(v2, 0);

      assertThat(Outputs.side(h, EnrichTags.REVIEW)).hasSize(2); // the same version is ignored
      assertThat(function.staleDropped("land-registry")).as("and counted").isEqualTo(1);
      assertThat(function.waitingCount()).isEqualTo(1);
    }
  }

  @Test
  void aLinkMadeBeforeTheTwinWasKnownIsWithdrawnAndTheRecordGoesToReview() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.processElement2(record("t-1"), 0);
      assertThat(Outputs.linked(h))
          .extracting(Person::getMatchMethod)
          .containsExactly(MatchMethod.DEMOGRAPHIC);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the link is watched

      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000002")), 0);

      assertThat(Outputs.linked(h))
          .singleElement()
          .satisfies(
              w -> {
                assertThat(Resolutions.isWithdrawal(w)).isTrue();
                assertThat(w.getPersonalId()).isEqualTo("048188000001");
              });
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getStatus()).isEqualTo(ReviewStatus.WAITING);
                assertThat(r.getReason()).isEqualTo(ReviewReason.AMBIGUOUS);
              });
      assertThat(function.waitingCount()).isEqualTo(1);
    }
  }

  // The row's update moved it to other keys: what version 1 left here is retracted by version 2.
  private static Person retractionOf(Person version1) {
    return Retraction.of(
        version1,
        Person.newBuilder(version1)
            .setLineage(TestRecords.lineage("land-registry", 2, "u"))
            .build(),
        false);
  }

  // A land-registry row typed with a personal ID no citizen has, and the agency's correction of
  // it: the name and the rest stay, so the update keeps the match key.
  private static Person withPersonalId(String personalId, long version) {
    Person p = record("t-1");
    p.setPersonalId(personalId);
    p.setPersonKey(personalId); // the store's key; the row's identity stays its sourceKey
    p.setLineage(TestRecords.lineage("land-registry", version, version == 1 ? "c" : "u"));
    return p;
  }

  @Test
  void aWaitingVersionWhoseIdTheAgencyCorrectedIsSupersededOnTheReviewTopic() throws Exception {
    Person mistyped = withPersonalId("048188000009", 1);
    Person corrected = withPersonalId("048188000001", 2);
    Person retraction = TestRecords.retraction(mistyped, corrected);
    assertThat(Retraction.matchKeyKept(retraction)).isTrue();
    try (var h = harness()) {
      h.processElement2(mistyped, 0);
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(PersonReview::getStatus, PersonReview::getReason)
          .containsExactly(tuple(ReviewStatus.WAITING, ReviewReason.PERSONAL_ID_UNKNOWN));
      Outputs.main(h);

      // The corrected version linked by its ID at the first step and never comes here.
      h.processElement2(retraction, 0);

      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getStatus()).isEqualTo(ReviewStatus.SUPERSEDED);
                assertThat(r.getReviewKey()).isEqualTo(SourceIdentity.of(mistyped));
                assertThat(r.getReason()).isEqualTo(ReviewReason.PERSONAL_ID_UNKNOWN);
                assertThat(r.getExpiresAt()).isNull();
                assertThat(r.getPerson().getPersonalId()).isEqualTo("048188000009");
              });
      // The store's row under the mistyped ID ends; the corrected version has its own.
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getPersonKey()).isEqualTo("048188000009");
                assertThat(d.getDeleted()).isTrue();
                assertThat(d.getMatchMethod()).isNull();
                assertThat(d.getLineage().getOperation()).isEqualTo("d");
                assertThat(d.getLineage().getSourceVersion()).isEqualTo(2L);
                assertThat(d.getSources()).isEmpty();
                assertThat(Retraction.is(d)).isFalse();
                assertThat(Resolutions.isWithdrawal(d)).isFalse();
              });
      assertThat(function.waitingCount()).isZero();
      h.setProcessingTime(TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  // A civil-registry record, keyed by its personal ID (the agency maps no sourceKey).
  private static Person keyedById(String personalId, long version) {
    return person("civil-registry")
        .personalId(personalId)
        .name("Lê Thị Hoa")
        .born("1988-11-20")
        .sex(Sex.FEMALE)
        .livesIn("48")
        .version(version)
        .build();
  }

  @Test
  void aDeleteTakesItsWaitingVersionOutOfReviewAndOnlyAnUnknownOneIsRejected() throws Exception {
    Person mistyped = keyedById("048188000009", 1);
    Person corrected = keyedById("048188000001", 2);
    Person withoutId = record("t-5");
    Person deleteWithoutId =
        person("land-registry")
            .name("Lê Thị Hoà")
            .born("1988-11-20")
            .sex(Sex.FEMALE)
            .livesIn("48")
            .sourceKey("t-5")
            .version(3)
            .deleted()
            .build();
    Person unknownDelete =
        person("land-registry")
            .name("Lê Thị Hoà")
            .born("1988-11-20")
            .sex(Sex.FEMALE)
            .livesIn("48")
            .sourceKey("t-6")
            .version(4)
            .deleted()
            .build();
    try (var h = harness()) {
      h.processElement2(mistyped, 0);
      h.processElement2(withoutId, 0);
      assertThat(function.waitingCount()).isEqualTo(2);
      Outputs.side(h, EnrichTags.REVIEW);
      Outputs.main(h);

      // The correction of the ID the civil record was keyed by ends it under the mistyped ID.
      h.processElement2(Retraction.identityEnd(mistyped, corrected), 0);
      h.processElement2(deleteWithoutId, 0);
      h.processElement2(unknownDelete, 0);

      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(PersonReview::getReviewKey, PersonReview::getStatus, PersonReview::getReason)
          .containsExactly(
              tuple(
                  SourceIdentity.of(mistyped),
                  ReviewStatus.SUPERSEDED,
                  ReviewReason.PERSONAL_ID_UNKNOWN),
              tuple(
                  SourceIdentity.of(withoutId), ReviewStatus.SUPERSEDED, ReviewReason.NO_CANDIDATE),
              tuple(
                  SourceIdentity.of(unknownDelete),
                  ReviewStatus.REJECTED,
                  ReviewReason.UNRESOLVED_DELETE));
      // The ID step already sent the first delete on to the store; the others go from here.
      assertThat(Outputs.main(h))
          .extracting(Person::getSourceKey, Person::getDeleted)
          .containsExactly(tuple("t-5", true), tuple("t-6", true));
      assertThat(function.waitingCount()).isZero();
      h.setProcessingTime(TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).as("nothing left to expire").isEmpty();
    }
  }

  @Test
  void aCorrectedVersionThatStillNeedsReviewHasTheLastEntryInEitherOrder() throws Exception {
    Person mistyped = withPersonalId("048188000009", 1);
    Person stillUnknown = withPersonalId("048188000008", 2);
    Person retraction = TestRecords.retraction(mistyped, stillUnknown);
    // The retraction and the update reach this key through different subtasks of the ID step.
    for (boolean retractionFirst : new boolean[] {true, false}) {
      try (var h = harness()) {
        h.processElement2(mistyped, 0);
        Outputs.side(h, EnrichTags.REVIEW);
        h.processElement2(retractionFirst ? retraction : stillUnknown, 0);
        h.processElement2(retractionFirst ? stillUnknown : retraction, 0);

        List<PersonReview> written = Outputs.side(h, EnrichTags.REVIEW);
        assertThat(written)
            .last()
            .satisfies(
                r -> {
                  assertThat(r.getStatus()).isEqualTo(ReviewStatus.WAITING);
                  assertThat(r.getPerson().getPersonalId()).isEqualTo("048188000008");
                });
        assertThat(written).hasSize(retractionFirst ? 2 : 1);
        assertThat(function.waitingCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void aRetractionForAnUpdateFiledUnderAnotherKeyWritesNoReviewEntry() throws Exception {
    Person mistyped = withPersonalId("048188000009", 1);
    Person renamed = withPersonalId("048188000001", 2);
    renamed.setFullName("Lê Thị Hồng");
    Person retraction = TestRecords.retraction(mistyped, renamed);
    assertThat(Retraction.matchKeyKept(retraction)).isFalse();
    try (var h = harness()) {
      h.processElement2(mistyped, 0);
      Outputs.side(h, EnrichTags.REVIEW);
      h.processElement2(retraction, 0);
      // The update's entry, made under its own key, may already be on the topic.
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(function.waitingCount()).isZero();
    }
  }

  @Test
  void aRetractedWaitingVersionNeitherLinksNorExpiresNorComesBackToReview() throws Exception {
    try (var h = harness()) {
      h.processElement2(record("t-1"), 0);
      Outputs.main(h);
      Outputs.side(h, EnrichTags.REVIEW);

      h.processElement2(retractionOf(record("t-1")), 0);
      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(function.waitingCount()).isZero();
      assertThat(function.staleDropped("land-registry")).isEqualTo(1);

      // A citizen filed later under the old key finds nothing of the row to link.
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.setProcessingTime(TTL.toMillis());
      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the citizen
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aRetractionWithdrawsTheDemographicLinkOfTheVersionItRetracts() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.processElement2(record("t-1"), 0);
      Outputs.main(h);

      h.processElement2(retractionOf(record("t-1")), 0);

      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              w -> {
                assertThat(Resolutions.isWithdrawal(w)).isTrue();
                assertThat(Retraction.is(w)).isFalse();
                assertThat(w.getPersonalId()).isEqualTo("048188000001");
                assertThat(w.getLineage().getSourceVersion()).isEqualTo(1L);
              });
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      // A twin filed later cannot withdraw the link again or send the row back to review.
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000002")), 0);
      assertThat(Outputs.main(h)).isEmpty();
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(function.waitingCount()).isZero();
    }
  }

  @Test
  void aRetractionLeavesAVersionAsNewAsItselfAlone() throws Exception {
    Person version2 =
        Person.newBuilder(record("t-1"))
            .setLineage(TestRecords.lineage("land-registry", 2, "u"))
            .build();
    try (var h = harness()) {
      // The update stayed on this key and came first: it replaced version 1 already.
      h.processElement2(version2, 0);
      Outputs.side(h, EnrichTags.REVIEW);

      h.processElement2(retractionOf(record("t-1")), 0);

      assertThat(Outputs.main(h)).hasSize(1); // version 2, unlinked, for the store
      assertThat(function.waitingCount()).isEqualTo(1);
      assertThat(function.staleDropped("land-registry")).isZero();
      h.setProcessingTime(TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(PersonReview::getStatus)
          .containsExactly(ReviewStatus.EXPIRED);
    }
  }

  @Test
  void anUnchallengedLinkIsWatchedOnlyForTheTtl() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.processElement2(record("t-1"), 0);
      h.setProcessingTime(TTL.toMillis());

      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the citizen
    }
  }

  @Test
  void aDeleteTakesBackTheLinkedContributionEvenAfterTheLinkIsNoLongerWatched() throws Exception {
    try (var h = harness()) {
      h.processElement1(entry(IndexEntryKind.FILE, hoa("048188000001")), 0);
      h.processElement2(record("t-1"), 0);
      h.setProcessingTime(TTL.toMillis()); // the link is no longer watched
      Outputs.main(h);

      String nfd = Normalizer.normalize("Lê  Thị Hoà", Normalizer.Form.NFD);
      Person delete =
          person("land-registry")
              .name(nfd)
              .born("1988-11-20")
              .sex(Sex.FEMALE)
              .livesIn("48")
              .sourceKey("t-1")
              .version(2)
              .deleted()
              .build();
      h.processElement2(delete, 0);

      // The before image still matches the citizen: the merge gets a linked delete.
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getDeleted()).isTrue();
                assertThat(Resolutions.isWithdrawal(p)).isFalse();
                assertThat(p.getPersonalId()).isEqualTo("048188000001");
              });
      assertThat(Outputs.side(h, EnrichTags.REVIEW)).isEmpty();
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the citizen
    }
  }
}
