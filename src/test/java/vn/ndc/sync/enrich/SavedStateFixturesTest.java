package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.dedup.DropRedeliveries;
import vn.ndc.sync.job.FlinkEnvironments;

/**
 * State saved by earlier versions of ndc-sync restores into this one and is used: the Flink
 * Kubernetes Operator upgrades the job through a savepoint, and state the new code cannot read, or
 * reads under another name and finds empty, would be lost silently (records waiting in review would
 * never link, redeliveries would pass, merged persons would lose their other agencies).
 *
 * <p>{@code src/test/resources/state-fixtures/<label>/<uid>.snapshot} holds, per stateful step of
 * the job (named by its uid), a canonical savepoint of that step on RocksDB, written by the code of
 * that label after a few records had gone through it. Each is restored into the current code, which
 * must then carry on as if it had never stopped. When a change of the state's layout is meant (and
 * the code migrates the old layout), add a set for the new layout beside the old ones, which must
 * still restore:
 *
 * <pre>./mvnw -B test -Dtest=SavedStateFixturesTest -Dndc.state-fixtures.write=LABEL</pre>
 */
class SavedStateFixturesTest {

  private static final Path FIXTURES =
      Path.of(System.getProperty("ndc.project.dir", "."), "src/test/resources/state-fixtures");
  private static final String SUFFIX = ".snapshot";
  private static final Duration TTL = Duration.ofDays(7);
  private static final List<String> PRIORITY =
      List.of("population", "civil-registry", "health-insurance", "land-registry");
  // Fixed clocks (processing time and state TTL): a fixture restores the same on any day.
  private static final long SAVED_AT = 1_000_000L;
  private static final long RESTORED_AT = SAVED_AT + 60_000L;

  private static final String A = "031170000001";
  private static final String B = "031170000002";
  private static final String FORMER_A = "031000111";

  /** A stateful step: what it is given before the savepoint, and what it must do after. */
  private interface Scenario<H extends AbstractStreamOperatorTestHarness<?>> {
    H harness() throws Exception;

    void before(H h) throws Exception;

    void after(H h) throws Exception;
  }

  private static final Map<String, Scenario<?>> SCENARIOS =
      Map.of(
          "dedup-person", new DedupPerson(),
          "dedup-population", new DedupPopulation(),
          "resolve-personal-id", new ByPersonalId(),
          "resolve-former-id", new ByFormerId(),
          "resolve-demographic", new ByDemographics(),
          "merge-person-sources", new Merge());

  @TestFactory
  Stream<DynamicTest> everySavedStepRestoresAndCarriesOn() throws IOException {
    List<String> labels = labels();
    assertThat(labels).as("fixtures in " + FIXTURES).isNotEmpty();
    assertThat(uids(labels.get(labels.size() - 1)))
        .as("the newest set covers every stateful step")
        .isEqualTo(new TreeSet<>(SCENARIOS.keySet()));
    List<DynamicTest> tests = new ArrayList<>();
    for (String label : labels) {
      for (String uid : uids(label)) {
        tests.add(
            DynamicTest.dynamicTest(
                label + " " + uid,
                () -> {
                  assertThat(SCENARIOS)
                      .as("a step of the job restores the state saved for " + uid)
                      .containsKey(uid);
                  restore(SCENARIOS.get(uid), FIXTURES.resolve(label).resolve(uid + SUFFIX));
                }));
      }
    }
    return tests.stream();
  }

  /** Writes a new set of fixtures with the current code; only on request. */
  @Test
  void writeFixtures() throws Exception {
    String label = System.getProperty("ndc.state-fixtures.write");
    assumeTrue(label != null, "set -Dndc.state-fixtures.write=LABEL to write a new set");
    Path dir = Files.createDirectories(FIXTURES.resolve(label));
    for (Map.Entry<String, Scenario<?>> e : SCENARIOS.entrySet()) {
      save(e.getValue(), dir.resolve(e.getKey() + SUFFIX));
    }
  }

  private static <H extends AbstractStreamOperatorTestHarness<?>> void save(
      Scenario<H> scenario, Path file) throws Exception {
    try (H h = scenario.harness()) {
      h.setProcessingTime(SAVED_AT);
      h.setStateTtlProcessingTime(SAVED_AT);
      h.open();
      scenario.before(h);
      OperatorSubtaskState state =
          h.snapshotWithLocalState(
                  1L, SAVED_AT, SavepointType.savepoint(SavepointFormatType.CANONICAL))
              .getJobManagerOwnedState();
      OperatorSnapshotUtil.writeStateHandle(state, file.toString());
    }
  }

  private static <H extends AbstractStreamOperatorTestHarness<?>> void restore(
      Scenario<H> scenario, Path file) throws Exception {
    try (H h = scenario.harness()) {
      h.setProcessingTime(RESTORED_AT);
      h.setStateTtlProcessingTime(RESTORED_AT);
      h.initializeState(OperatorSnapshotUtil.readStateHandle(file.toString()));
      h.open();
      scenario.after(h);
    }
  }

  private static List<String> labels() throws IOException {
    if (!Files.isDirectory(FIXTURES)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(FIXTURES)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static TreeSet<String> uids(String label) throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES.resolve(label))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> n.substring(0, n.length() - SUFFIX.length()))
          .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
    }
  }

  /** On RocksDB, the production backend, without the Kryo fallback, as the job runs. */
  private static <H extends AbstractStreamOperatorTestHarness<?>> H asInTheJob(H h) {
    ((SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
    Configuration conf = FlinkEnvironments.stateBackend(PersonSyncOptions.StateBackendKind.ROCKSDB);
    h.setStateBackend(
        new EmbeddedRocksDBStateBackend()
            .configure(conf, SavedStateFixturesTest.class.getClassLoader()));
    return h;
  }

  private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> oneInput(
      KeyedProcessFunction<String, I, O> function, KeySelector<I, String> key) throws Exception {
    return asInTheJob(
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(function), key, Types.STRING));
  }

  private static <I1, I2, O> KeyedTwoInputStreamOperatorTestHarness<String, I1, I2, O> twoInputs(
      KeyedCoProcessFunction<String, I1, I2, O> function,
      KeySelector<I1, String> key1,
      KeySelector<I2, String> key2)
      throws Exception {
    return asInTheJob(
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(function), key1, key2, Types.STRING));
  }

  private static Person record(String agency, String sourceKey, long version) {
    return person(agency)
        .name("Vũ Thị Lan")
        .born("1970-01-01")
        .sex(Sex.FEMALE)
        .livesIn("31")
        .sourceKey(sourceKey)
        .version(version)
        .build();
  }

  private static Citizen citizenA() {
    return citizen(A)
        .formerId(FORMER_A)
        .name("Vũ Thị Lan")
        .born("1970-01-01")
        .sex(Sex.FEMALE)
        .birthProvince("031")
        .livesIn("31")
        .version(5)
        .build();
  }

  /** A redelivered version is dropped after the restore; a newer one passes. */
  private static final class DedupPerson
      implements Scenario<KeyedOneInputStreamOperatorTestHarness<String, Person, Person>> {
    @Override
    public KeyedOneInputStreamOperatorTestHarness<String, Person, Person> harness()
        throws Exception {
      return oneInput(DropRedeliveries.persons(TTL), DropRedeliveries.personKey());
    }

    @Override
    public void before(KeyedOneInputStreamOperatorTestHarness<String, Person, Person> h)
        throws Exception {
      h.processElement(record("civil-registry", "r-1", 10), SAVED_AT);
    }

    @Override
    public void after(KeyedOneInputStreamOperatorTestHarness<String, Person, Person> h)
        throws Exception {
      h.processElement(record("civil-registry", "r-1", 10), RESTORED_AT);
      h.processElement(record("civil-registry", "r-1", 11), RESTORED_AT);
      assertThat(Outputs.main(h))
          .extracting(p -> p.getLineage().getSourceVersion())
          .as("the redelivered version 10 dropped, version 11 passed")
          .containsExactly(11L);
    }
  }

  /** The same for the population's citizens. */
  private static final class DedupPopulation
      implements Scenario<KeyedOneInputStreamOperatorTestHarness<String, Citizen, Citizen>> {
    @Override
    public KeyedOneInputStreamOperatorTestHarness<String, Citizen, Citizen> harness()
        throws Exception {
      return oneInput(DropRedeliveries.citizens(TTL), DropRedeliveries.citizenKey());
    }

    @Override
    public void before(KeyedOneInputStreamOperatorTestHarness<String, Citizen, Citizen> h)
        throws Exception {
      h.processElement(citizenA(), SAVED_AT);
    }

    @Override
    public void after(KeyedOneInputStreamOperatorTestHarness<String, Citizen, Citizen> h)
        throws Exception {
      Citizen next = Citizen.newBuilder(citizenA()).build();
      next.getLineage().setSourceVersion(6L);
      h.processElement(citizenA(), RESTORED_AT);
      h.processElement(next, RESTORED_AT);
      assertThat(Outputs.main(h))
          .extracting(c -> c.getLineage().getSourceVersion())
          .containsExactly(6L);
    }
  }

  /**
   * A citizen kept in state links a record by its personal ID; a record that claimed a personal ID
   * not yet known is sent on as a claim when that citizen arrives.
   */
  private static final class ByPersonalId
      implements Scenario<KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person>> {
    // Its name differs from the citizen's, so only its claim can link it.
    private static final Person CLAIMANT =
        person("land-registry")
            .personalId(B)
            .name("Vũ Thị Lann")
            .born("1970-01-02")
            .sex(Sex.FEMALE)
            .livesIn("31")
            .sourceKey("t-2")
            .version(3)
            .build();

    @Override
    public KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> harness()
        throws Exception {
      return twoInputs(
          new ResolveByPersonalId(TTL),
          ResolveByPersonalId.citizenKey(),
          ResolveByPersonalId.recordKey());
    }

    @Override
    public void before(KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> h)
        throws Exception {
      h.processElement1(citizenA(), SAVED_AT);
      h.processElement2(CLAIMANT, SAVED_AT);
    }

    @Override
    public void after(KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> h)
        throws Exception {
      h.processElement2(
          person("civil-registry").personalId(A).sourceKey("r-1").version(10).build(), RESTORED_AT);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.PERSONAL_ID);
                assertThat(p.getPersonalId()).isEqualTo(A);
              });

      h.processElement1(
          citizen(B)
              .name("Vũ Thị Lan")
              .born("1970-01-01")
              .sex(Sex.FEMALE)
              .birthProvince("031")
              .livesIn("31")
              .version(5)
              .build(),
          RESTORED_AT);
      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .filteredOn(e -> e.getKind() == IndexEntryKind.CLAIM)
          .extracting(CitizenIndexEntry::getLookupKey)
          .containsExactly(MatchKeys.demographicStepKey(CLAIMANT));
    }
  }

  /** A citizen filed under its former ID links a record that has only that ID. */
  private static final class ByFormerId
      implements Scenario<
          KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>> {
    @Override
    public KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
        harness() throws Exception {
      return twoInputs(
          new ResolveByFormerId(TTL), ResolveByFormerId.entryKey(), ResolveByFormerId.recordKey());
    }

    @Override
    public void before(
        KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person> h)
        throws Exception {
      h.processElement1(Resolutions.entry(FORMER_A, IndexEntryKind.FILE, citizenA()), SAVED_AT);
    }

    @Override
    public void after(
        KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person> h)
        throws Exception {
      h.processElement2(
          person("health-insurance").formerId(FORMER_A).sourceKey("h-1").version(7).build(),
          RESTORED_AT);
      assertThat(Outputs.linked(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.FORMER_ID);
                assertThat(p.getPersonalId()).isEqualTo(A);
              });
    }
  }

  /** A record waiting in review links when a citizen with its demographics is filed. */
  private static final class ByDemographics
      implements Scenario<
          KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>> {
    private static final Person WAITING = record("land-registry", "t-9", 3);
    // The function of the latest harness: its count of waiting records is operator state.
    private ResolveByDemographics function;

    @Override
    public KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
        harness() throws Exception {
      function = new ResolveByDemographics(TTL);
      return twoInputs(
          function, ResolveByDemographics.entryKey(), ResolveByDemographics.recordKey());
    }

    @Override
    public void before(
        KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person> h)
        throws Exception {
      h.processElement2(WAITING, SAVED_AT);
    }

    @Override
    public void after(
        KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person> h)
        throws Exception {
      assertThat(h.numProcessingTimeTimers()).as("the review's expiry").isPositive();
      assertThat(function.waitingCount()).as("records waiting, the gauge's count").isEqualTo(1);
      h.processElement1(
          Resolutions.entry(MatchKeys.of(WAITING), IndexEntryKind.FILE, citizenA()), RESTORED_AT);
      assertThat(Outputs.linked(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getMatchMethod()).isEqualTo(MatchMethod.DEMOGRAPHIC);
                assertThat(p.getPersonalId()).isEqualTo(A);
                assertThat(p.getLineage().getSourceVersion()).isEqualTo(3L);
              });
      assertThat(function.waitingCount()).isZero();
    }
  }

  /** A merged person keeps its other agencies' contributions. */
  private static final class Merge
      implements Scenario<KeyedOneInputStreamOperatorTestHarness<String, Person, Person>> {
    @Override
    public KeyedOneInputStreamOperatorTestHarness<String, Person, Person> harness()
        throws Exception {
      return oneInput(new MergePersonSources(PRIORITY, TTL), MergePersonSources.personalIdKey());
    }

    @Override
    public void before(KeyedOneInputStreamOperatorTestHarness<String, Person, Person> h)
        throws Exception {
      h.processElement(
          Resolutions.linked(record("land-registry", "t-9", 3), A, MatchMethod.DEMOGRAPHIC),
          SAVED_AT);
    }

    @Override
    public void after(KeyedOneInputStreamOperatorTestHarness<String, Person, Person> h)
        throws Exception {
      h.processElement(
          Resolutions.linked(
              person("civil-registry")
                  .personalId(A)
                  .phone("+84901234567")
                  .sourceKey("r-1")
                  .version(10)
                  .build(),
              A,
              MatchMethod.PERSONAL_ID),
          RESTORED_AT);
      assertThat(Outputs.main(h))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getSources()).containsExactly("civil-registry", "land-registry");
                assertThat(p.getFullName()).isEqualTo("Vũ Thị Lan");
                assertThat(p.getPhone()).isEqualTo("+84901234567");
              });
    }
  }
}
