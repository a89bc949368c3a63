package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.dedup.DropRedeliveries;

/**
 * On RocksDB, the path nearly every change takes through each keyed step writes no tombstones and
 * positions no iterator it does not need. A delete of an absent key still writes a tombstone, and
 * every later scan of that state walks past all of them: one stray delete per change made the cost
 * per change grow with the changes before it (BENCHMARKS.md, steps 27 and 28). Each test also takes
 * a path that must delete, so the probe is shown to count.
 */
class CommonPathOnRocksDbTest {

  private static final Duration TTL = Duration.ofDays(30);
  private static final List<String> PRIORITY =
      List.of("population", "civil-registry", "health-insurance", "land-registry");
  private static final int N = 500;

  private static String personalId(int i) {
    return String.format("079%09d", i);
  }

  private static LocalDate born(int i) {
    return LocalDate.of(1950, 1, 1).plusDays(i);
  }

  /** A new civil-registry row, one person per {@code i}. */
  private static Person record(int i, String personalId) {
    return person("civil-registry")
        .personalId(personalId)
        .name("Trần Thị Mai")
        .born(born(i).toString())
        .sex(Sex.FEMALE)
        .livesIn("79")
        .sourceKey("r-" + i)
        .version(10)
        .build();
  }

  private static Citizen citizenOf(int i) {
    return citizen(personalId(i))
        .name("Trần Thị Mai")
        .born(born(i).toString())
        .sex(Sex.FEMALE)
        .birthProvince("079")
        .livesIn("79")
        .version(5)
        .build();
  }

  @Test
  void dedupOfNewVersionsDeletesAndScansNothing() throws Exception {
    try (var h =
        KeyedHarnesses.oneInput(
            DropRedeliveries.persons(TTL),
            DropRedeliveries.personKey(),
            RocksDbProbe.stateBackend())) {
      RocksDbProbe.Counts db = RocksDbProbe.of(h.getOperator());
      long opened = db.seeks();
      for (int i = 0; i < N; i++) {
        h.processElement(record(i, personalId(i)), 0);
      }
      assertThat(h.extractOutputValues()).hasSize(N);
      assertThat(db.deletes()).isZero();
      assertThat(db.seeks()).as("seeks after %d at open", opened).isEqualTo(opened);
    }
  }

  @Test
  void resolvingByPersonalIdDeletesNothingForCitizensOrRecords() throws Exception {
    var function = new ResolveByPersonalId(TTL);
    try (var h =
        KeyedHarnesses.twoInputs(
            function,
            ResolveByPersonalId.citizenKey(),
            ResolveByPersonalId.recordKey(),
            RocksDbProbe.stateBackend())) {
      RocksDbProbe.Counts db = RocksDbProbe.of(h.getOperator());
      // Half the records come before their citizen (a claim each), half after it (linked).
      for (int i = 0; i < N; i++) {
        h.processElement2(record(i, personalId(i)), 0);
      }
      long seeks = db.seeks();
      for (int i = 0; i < 2 * N; i++) {
        h.processElement1(citizenOf(i), 0);
      }
      assertThat(db.deletes()).as("a citizen removes only the claims there are").isEqualTo(N);
      assertThat(db.seeks() - seeks)
          .as("a citizen scans its claims twice: the live ones, then all to clear them")
          .isEqualTo(2L * 2 * N);
      seeks = db.seeks();
      for (int i = N; i < 2 * N; i++) {
        h.processElement2(record(i, personalId(i)), 0);
      }
      assertThat(function.matched("civil-registry", MatchMethod.PERSONAL_ID)).isEqualTo(N);
      assertThat(db.deletes()).as("a linked record deletes nothing").isEqualTo(N);
      assertThat(db.seeks()).as("a linked record scans nothing").isEqualTo(seeks);
    }
  }

  @Test
  void waitingAndFilingDeleteNothingUntilARecordLinks() throws Exception {
    var function = new ResolveByDemographics(TTL);
    try (var h =
        KeyedHarnesses.twoInputs(
            function,
            ResolveByDemographics.entryKey(),
            ResolveByDemographics.recordKey(),
            RocksDbProbe.stateBackend())) {
      RocksDbProbe.Counts db = RocksDbProbe.of(h.getOperator());
      long opened = db.seeks();
      // Records of people not in the population yet wait; citizens of other people are filed.
      for (int i = 0; i < N; i++) {
        h.processElement2(record(i, null), 0);
      }
      long waited = db.seeks();
      int filed = 0;
      for (int i = N; i < 2 * N; i++) {
        Citizen c = citizenOf(i);
        for (String key : MatchKeys.of(c)) {
          h.processElement1(Resolutions.entry(key, IndexEntryKind.FILE, c), 0);
          filed++;
        }
      }
      assertThat(function.waitingCount()).isEqualTo(N);
      assertThat(db.deletes()).isZero();
      assertThat(waited - opened).as("a new record scans the key's citizens, once").isEqualTo(N);
      assertThat(db.seeks() - waited)
          .as("a filed citizen scans the key's waiting records and links, and nothing else")
          .isEqualTo(2L * filed);

      // The waiting records' citizens arrive: each link removes its waiting record.
      for (int i = 0; i < N; i++) {
        Citizen c = citizenOf(i);
        String key = MatchKeys.of(c).iterator().next();
        h.processElement1(Resolutions.entry(key, IndexEntryKind.FILE, c), 0);
      }
      assertThat(function.matched("civil-registry", MatchMethod.DEMOGRAPHIC)).isEqualTo(N);
      assertThat(db.deletes()).isPositive();
    }
  }

  @Test
  void mergingNewPeopleDeletesAndScansNothing() throws Exception {
    try (var h =
        KeyedHarnesses.oneInput(
            new MergePersonSources(PRIORITY, Duration.ofDays(7)),
            MergePersonSources.personalIdKey(),
            RocksDbProbe.stateBackend())) {
      RocksDbProbe.Counts db = RocksDbProbe.of(h.getOperator());
      long opened = db.seeks();
      for (int i = 0; i < N; i++) {
        h.processElement(
            Resolutions.linked(record(i, personalId(i)), personalId(i), MatchMethod.PERSONAL_ID),
            0);
      }
      assertThat(h.extractOutputValues()).hasSize(N);
      assertThat(db.deletes()).isZero();
      assertThat(db.seeks()).as("seeks after %d at open", opened).isEqualTo(opened);

      Person gone =
          person("civil-registry")
              .personalId(personalId(0))
              .sourceKey("r-0")
              .version(11)
              .deleted()
              .build();
      h.processElement(Resolutions.linked(gone, personalId(0), MatchMethod.PERSONAL_ID), 0);
      assertThat(db.deletes()).as("a delete is remembered, not removed").isZero();
      Person back = record(0, personalId(0));
      back.getLineage().setSourceVersion(12L);
      h.processElement(Resolutions.linked(back, personalId(0), MatchMethod.PERSONAL_ID), 0);
      assertThat(db.deletes()).as("the row came back: its delete's expiry is removed").isPositive();
    }
  }
}
