package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

/**
 * State survives a checkpoint and restore with generic (Kryo) types disabled, as the job runs:
 * every state type is Avro or a basic type.
 */
class StateRestoreTest {

  private static final Duration TTL = Duration.ofDays(30);

  private static <H extends AbstractStreamOperatorTestHarness<?>> H noKryo(H harness) {
    ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    return harness;
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      demographics(ResolveByDemographics function) throws Exception {
    return noKryo(
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(function),
            ResolveByDemographics.entryKey(),
            ResolveByDemographics.recordKey(),
            Types.STRING));
  }

  private static Person record() {
    return person("land-registry")
        .name("Vũ Thị Lan")
        .born("1970-01-01")
        .sex(Sex.FEMALE)
        .livesIn("31")
        .sourceKey("t-9")
        .build();
  }

  @Test
  void aWaitingRecordAndItsTimerSurviveARestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = demographics(new ResolveByDemographics(TTL))) {
      h.open();
      h.processElement2(record(), 0);
      snapshot = h.snapshot(1, 1);
    }
    ResolveByDemographics restoredFunction = new ResolveByDemographics(TTL);
    try (var h = demographics(restoredFunction)) {
      h.initializeState(snapshot);
      h.open();
      assertThat(restoredFunction.waitingCount()).isEqualTo(1);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      h.processElement1(
          Resolutions.entry(
              MatchKeys.of(record()),
              IndexEntryKind.FILE,
              citizen("031170000001")
                  .name("Vũ Thị Lan")
                  .born("1970-01-01")
                  .sex(Sex.FEMALE)
                  .birthProvince("031")
                  .livesIn("31")
                  .build()),
          0);

      assertThat(Outputs.main(h))
          .extracting(Person::getMatchMethod)
          .containsExactly(MatchMethod.DEMOGRAPHIC);
      assertThat(restoredFunction.waitingCount()).isZero();
    }
  }

  @Test
  void mergeContributionsSurviveARestore() throws Exception {
    List<String> priority = List.of("civil-registry", "land-registry");
    OperatorSubtaskState snapshot;
    try (var h =
        noKryo(
            new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MergePersonSources(priority, TTL)),
                MergePersonSources.personalIdKey(),
                Types.STRING))) {
      h.open();
      h.processElement(Resolutions.linked(record(), "031170000001", MatchMethod.DEMOGRAPHIC), 0);
      snapshot = h.snapshot(1, 1);
    }
    try (var h =
        noKryo(
            new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MergePersonSources(priority, TTL)),
                MergePersonSources.personalIdKey(),
                Types.STRING))) {
      h.initializeState(snapshot);
      h.open();
      h.processElement(
          Resolutions.linked(
              person("civil-registry").personalId("031170000001").phone("+84901234567").build(),
              "031170000001",
              MatchMethod.PERSONAL_ID),
          0);

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
