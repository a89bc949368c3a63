package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.ReviewReason;
import vn.ndc.sync.avro.ReviewStatus;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.dedup.DropRedeliveries;
import vn.ndc.sync.dedup.SourceIdentity;
import vn.ndc.sync.standardize.VietnameseText;

/**
 * The dedup and enrich functions chained as the job chains them (see package-info), each in its
 * keyed harness, on 1,000 people reported by three agencies with realistic variations.
 */
class EnrichChainTest {

  private static final int PEOPLE = 1_000;
  private static final int LATE = 100; // added to the population after the agencies reported them
  private static final int TWINS = 20;
  private static final Duration TTL = Duration.ofDays(30);
  private static final List<String> PRIORITY =
      List.of("population", AgencyVariations.CIVIL, AgencyVariations.HEALTH, AgencyVariations.LAND);

  private KeyedOneInputStreamOperatorTestHarness<String, Person, Person> dropPersons;
  private KeyedOneInputStreamOperatorTestHarness<String, Citizen, Citizen> dropCitizens;
  private KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> byPersonalId;
  private KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      byFormerId;
  private KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      byDemographics;
  private KeyedOneInputStreamOperatorTestHarness<String, Person, Person> merge;
  private final ResolveByPersonalId step1 = new ResolveByPersonalId(TTL);
  private final ResolveByFormerId step2 = new ResolveByFormerId(TTL);
  private final ResolveByDemographics step3 = new ResolveByDemographics(TTL);
  private final Map<String, Person> ndc = new HashMap<>();
  private final Map<String, PersonReview> reviews = new HashMap<>();
  private int droppedOnTheWay;

  @BeforeEach
  void chain() throws Exception {
    dropPersons =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            DropRedeliveries.persons(TTL), DropRedeliveries.personKey(), Types.STRING);
    dropCitizens =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            DropRedeliveries.citizens(TTL), DropRedeliveries.citizenKey(), Types.STRING);
    byPersonalId =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            step1, ResolveByPersonalId.citizenKey(), ResolveByPersonalId.recordKey(), Types.STRING);
    byFormerId =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            step2, ResolveByFormerId.entryKey(), ResolveByFormerId.recordKey(), Types.STRING);
    byDemographics =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            step3,
            ResolveByDemographics.entryKey(),
            ResolveByDemographics.recordKey(),
            Types.STRING);
    merge =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new MergePersonSources(PRIORITY, TTL),
            MergePersonSources.personalIdKey(),
            Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    for (var h :
        List.of(dropPersons, dropCitizens, byPersonalId, byFormerId, byDemographics, merge)) {
      h.close();
    }
  }

  private void citizen(Citizen c) throws Exception {
    dropCitizens.processElement(c, 0);
    for (Citizen passed : Outputs.main(dropCitizens)) {
      byPersonalId.processElement1(passed, 0);
    }
    flow();
  }

  private void record(Person p) throws Exception {
    dropPersons.processElement(p, 0);
    List<Person> passed = Outputs.main(dropPersons);
    if (passed.isEmpty()) {
      droppedOnTheWay++;
    }
    for (Person r : passed) {
      byPersonalId.processElement2(r, 0);
    }
    flow();
  }

  // Moves every output to the input it is wired to, until nothing is in flight.
  private void flow() throws Exception {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Person p : Outputs.side(byPersonalId, EnrichTags.UNRESOLVED)) {
        byFormerId.processElement2(p, 0);
        moved = true;
      }
      for (CitizenIndexEntry e : Outputs.side(byPersonalId, EnrichTags.FORMER_ID_INDEX)) {
        byFormerId.processElement1(e, 0);
        moved = true;
      }
      for (CitizenIndexEntry e : Outputs.side(byPersonalId, EnrichTags.DEMOGRAPHIC_INDEX)) {
        byDemographics.processElement1(e, 0);
        moved = true;
      }
      for (Person p : Outputs.side(byFormerId, EnrichTags.UNRESOLVED)) {
        byDemographics.processElement2(p, 0);
        moved = true;
      }
      for (CitizenIndexEntry e : Outputs.side(byFormerId, EnrichTags.DEMOGRAPHIC_INDEX)) {
        byDemographics.processElement1(e, 0);
        moved = true;
      }
      for (PersonReview r : Outputs.side(byDemographics, EnrichTags.REVIEW)) {
        reviews.put(r.getReviewKey(), r);
      }
      for (var step : List.of(byPersonalId, byFormerId, byDemographics)) {
        for (Person p : Outputs.linked(step)) {
          merge.processElement(p, 0);
          moved = true;
        }
      }
      for (Person p : Outputs.main(merge)) {
        ndc.put(p.getPersonKey(), p);
      }
    }
  }

  private long live() {
    return ndc.values().stream().filter(p -> !p.getDeleted()).count();
  }

  private Map<ReviewStatus, Long> reviewsByStatus() {
    return reviews.values().stream()
        .collect(Collectors.groupingBy(PersonReview::getStatus, Collectors.counting()));
  }

  @Test
  void aThousandPeopleFromThreeAgenciesBecomeAThousandNdcPersons() throws Exception {
    List<AgencyVariations.Case> cases = new AgencyVariations(PEOPLE, TWINS, 20251123L).cases();
    List<AgencyVariations.Case> known = cases.subList(0, PEOPLE - LATE);
    List<AgencyVariations.Case> late = cases.subList(PEOPLE - LATE, PEOPLE);

    for (AgencyVariations.Case c : known) {
      citizen(c.citizen());
      if (c.twin() != null) {
        citizen(c.twin());
      }
    }
    int redelivered = 0;
    int sent = 0;
    for (AgencyVariations.Case c : cases) {
      for (Person p : c.records()) {
        record(p);
        // Debezium redelivers after a restart: every seventh change comes twice.
        if (sent++ % 7 == 0) {
          record(p);
          redelivered++;
        }
      }
    }
    assertThat(droppedOnTheWay).isEqualTo(redelivered);

    int ambiguous = cases.stream().mapToInt(c -> c.ambiguousRecords().size()).sum();
    assertThat(live()).isEqualTo(PEOPLE - LATE);
    assertThat(reviewsByStatus())
        .containsEntry(ReviewStatus.WAITING, (long) (3 * LATE + ambiguous));

    // The population gains the late citizens: their waiting records resolve on their own.
    for (AgencyVariations.Case c : late) {
      citizen(c.citizen());
    }

    assertThat(live()).isEqualTo(PEOPLE);
    assertThat(ndc.keySet())
        .isEqualTo(
            cases.stream().map(c -> c.citizen().getPersonalId()).collect(Collectors.toSet()));
    for (AgencyVariations.Case c : cases) {
      Person merged = ndc.get(c.citizen().getPersonalId());
      assertThat(VietnameseText.fold(merged.getFullName()))
          .isEqualTo(VietnameseText.fold(c.citizen().getFullName()));
      assertThat(merged.getDateOfBirth()).isEqualTo(c.citizen().getDateOfBirth());
      assertThat(Set.copyOf(merged.getSources())).isEqualTo(c.resolvingAgencies());
      // civil-registry outranks the others, so its spelling and phone survive.
      assertThat(merged.getFullName()).isEqualTo(c.records().get(0).getFullName());
      assertThat(merged.getPhone()).isEqualTo(c.records().get(0).getPhone());
    }

    Map<ReviewStatus, Long> byStatus = reviewsByStatus();
    assertThat(byStatus).containsEntry(ReviewStatus.RESOLVED, (long) (3 * LATE));
    assertThat(byStatus).containsEntry(ReviewStatus.WAITING, (long) ambiguous);
    assertThat(step3.waitingCount()).isEqualTo(ambiguous);
    Set<String> ambiguousKeys = new HashSet<>();
    for (AgencyVariations.Case c : cases) {
      for (Person p : c.ambiguousRecords()) {
        ambiguousKeys.add(SourceIdentity.of(p));
        PersonReview review = reviews.get(SourceIdentity.of(p));
        assertThat(review.getReason()).isEqualTo(ReviewReason.AMBIGUOUS);
        assertThat(review.getCandidatePersonalIds())
            .containsExactlyInAnyOrder(c.citizen().getPersonalId(), c.twin().getPersonalId());
      }
    }
    assertThat(
            reviews.values().stream()
                .filter(r -> r.getStatus() == ReviewStatus.WAITING)
                .map(PersonReview::getReviewKey))
        .containsExactlyInAnyOrderElementsOf(ambiguousKeys);

    printSummary(cases, redelivered, ambiguous);
  }

  // A civil-registry row first typed with the personal ID of a stranger (who has another name),
  // then corrected to its holder's: standardize sends the retraction of the first version ahead.
  private static final String STRANGER = "048188000003";
  private static final String HOLDER = "048188000002";

  private static Citizen citizenNamed(String personalId, String name) {
    return TestRecords.citizen(personalId)
        .name(name)
        .born("1988-11-20")
        .sex(Sex.FEMALE)
        .birthProvince("048")
        .livesIn("48")
        .build();
  }

  private static Person rowWithId(String personalId, long version) {
    return TestRecords.person(AgencyVariations.CIVIL)
        .personalId(personalId)
        .name("Lê Thị Hồng")
        .born("1988-11-20")
        .sex(Sex.FEMALE)
        .livesIn("48")
        .sourceKey("c-1")
        .version(version)
        .build();
  }

  private void correctTheRowsId() throws Exception {
    Person first = rowWithId(STRANGER, 1);
    Person corrected = rowWithId(HOLDER, 2);
    record(TestRecords.retraction(first, corrected));
    record(corrected);
  }

  private boolean holdsTheRow(String personalId) {
    Person merged = ndc.get(personalId);
    return merged != null
        && !merged.getDeleted()
        && merged.getSources().contains(AgencyVariations.CIVIL);
  }

  @Test
  void aCorrectedPersonalIdTakesTheRowFromTheCitizenItWasLinkedToFirst() throws Exception {
    citizen(citizenNamed(STRANGER, "Lê Thị Hoa"));
    citizen(citizenNamed(HOLDER, "Lê Thị Hồng"));
    record(rowWithId(STRANGER, 1));
    assertThat(holdsTheRow(STRANGER)).isTrue();

    correctTheRowsId();

    assertThat(holdsTheRow(HOLDER)).isTrue();
    assertThat(holdsTheRow(STRANGER)).as("the mistyped ID's citizen still holds the row").isFalse();
  }

  @Test
  void aCorrectedPersonalIdAlsoTakesBackALinkMadeLateWhenTheCitizenCameAfterTheRow()
      throws Exception {
    citizen(citizenNamed(HOLDER, "Lê Thị Hồng"));
    record(rowWithId(STRANGER, 1)); // waits: no citizen has that ID yet
    citizen(citizenNamed(STRANGER, "Lê Thị Hoa")); // its claim links the waiting row late
    assertThat(holdsTheRow(STRANGER)).isTrue();

    correctTheRowsId();

    assertThat(holdsTheRow(HOLDER)).isTrue();
    assertThat(holdsTheRow(STRANGER)).as("the mistyped ID's citizen still holds the row").isFalse();
    assertThat(step3.waitingCount()).isZero();
  }

  @Test
  void aWaitingRowWhoseMistypedIdIsCorrectedLeavesTheReviewQueue() throws Exception {
    citizen(citizenNamed(HOLDER, "Lê Thị Hồng"));
    Person mistyped = rowWithId("048188000009", 1); // no citizen has it
    record(mistyped);
    String reviewKey = SourceIdentity.of(mistyped);
    assertThat(reviews.get(reviewKey).getStatus()).isEqualTo(ReviewStatus.WAITING);

    Person corrected = rowWithId(HOLDER, 2);
    record(TestRecords.retraction(mistyped, corrected));
    record(corrected);

    assertThat(holdsTheRow(HOLDER)).isTrue();
    assertThat(reviews.get(reviewKey).getStatus())
        .as("the row's last review entry")
        .isEqualTo(ReviewStatus.SUPERSEDED);
    assertThat(step3.waitingCount()).isZero();
  }

  private void printSummary(List<AgencyVariations.Case> cases, int redelivered, int ambiguous) {
    StringBuilder summary = new StringBuilder("enrich chain: ");
    summary
        .append(cases.size())
        .append(" people, ")
        .append(cases.stream().mapToInt(c -> c.records().size()).sum())
        .append(" records, ")
        .append(redelivered)
        .append(" redeliveries dropped, ")
        .append(live())
        .append(" NDC persons, ")
        .append(ambiguous)
        .append(" ambiguous waiting; matched");
    for (String agency :
        List.of(AgencyVariations.CIVIL, AgencyVariations.HEALTH, AgencyVariations.LAND)) {
      for (MatchMethod m : MatchMethod.values()) {
        long n =
            step1.matched(agency, m)
                + (m == MatchMethod.FORMER_ID ? step2.matched(agency) : 0)
                + step3.matched(agency, m);
        summary.append(' ').append(agency).append('/').append(m).append('=').append(n);
      }
    }
    System.out.println(summary);
  }
}
