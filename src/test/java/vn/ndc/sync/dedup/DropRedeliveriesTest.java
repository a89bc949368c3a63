package vn.ndc.sync.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Person;

/** Redeliveries are dropped per source row and counted; the remembered versions expire. */
class DropRedeliveriesTest {

  private static final Duration TTL = Duration.ofHours(1);

  private final DropRedeliveries<Person> function = DropRedeliveries.persons(TTL);

  private KeyedOneInputStreamOperatorTestHarness<String, Person, Person> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        function, DropRedeliveries.personKey(), Types.STRING);
  }

  private static Person change(String agency, String row, long version) {
    return person(agency).personalId("001090123456").sourceKey(row).version(version).build();
  }

  @Test
  void newerVersionsPassAndRepeatsOrOlderOnesAreDroppedAndCounted() throws Exception {
    try (var h = harness()) {
      h.processElement(change("civil-registry", "1", 10), 0);
      h.processElement(change("civil-registry", "1", 10), 0);
      h.processElement(change("civil-registry", "1", 7), 0);
      h.processElement(change("civil-registry", "1", 11), 0);
      h.processElement(change("health-insurance", "1", 3), 0);
      h.processElement(change("health-insurance", "1", 3), 0);

      assertThat(h.extractOutputValues())
          .extracting(p -> p.getLineage().getSourceVersion())
          .containsExactly(10L, 11L, 3L);
      assertThat(function.droppedCount("civil-registry")).isEqualTo(2);
      assertThat(function.droppedCount("health-insurance")).isEqualTo(1);
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  private static Person update(String agency, String row, long version) {
    return Person.newBuilder(change(agency, row, version))
        .setLineage(vn.ndc.sync.enrich.TestRecords.lineage(agency, version, "u"))
        .build();
  }

  @Test
  void aRetractionPassesAheadOfItsUpdateWithoutRecordingItsVersion() throws Exception {
    Person before = change("civil-registry", "1", 5);
    Person retraction = Retraction.of(before, update("civil-registry", "1", 6), false);
    try (var h = harness()) {
      h.processElement(before, 0);
      h.processElement(retraction, 0);
      h.processElement(update("civil-registry", "1", 6), 0);
      // The update redelivered: its retraction and itself are dropped, the update alone counted.
      h.processElement(retraction, 0);
      h.processElement(update("civil-registry", "1", 6), 0);

      assertThat(h.extractOutputValues())
          .extracting(p -> p.getLineage().getSourceVersion(), Retraction::is)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(5L, false),
              org.assertj.core.groups.Tuple.tuple(6L, true),
              org.assertj.core.groups.Tuple.tuple(6L, false));
      assertThat(function.droppedCount("civil-registry")).isEqualTo(1);
    }
  }

  @Test
  void theSourceRowNotThePersonIsTheKey() {
    Person a = change("civil-registry", "1", 1);
    Person b = change("civil-registry", "2", 1);
    Person noSourceKey = person("civil-registry").personalId("001090123456").build();

    assertThat(SourceIdentity.of(a)).isEqualTo("civil-registry|person|1");
    assertThat(SourceIdentity.of(b)).isNotEqualTo(SourceIdentity.of(a));
    assertThat(SourceIdentity.of(noSourceKey)).isEqualTo("civil-registry|person|001090123456");
  }

  @Test
  void aDeleteIsRememberedUntilTheTtlThenTheStateIsGone() throws Exception {
    try (var h = harness()) {
      h.setStateTtlProcessingTime(0);
      h.processElement(change("civil-registry", "1", 5), 0);
      Person delete =
          person("civil-registry")
              .personalId("001090123456")
              .sourceKey("1")
              .version(6)
              .deleted()
              .build();
      h.processElement(delete, 0);

      // A redelivered insert after the delete must not resurrect the row.
      h.setStateTtlProcessingTime(TTL.toMillis() - 1);
      h.processElement(change("civil-registry", "1", 5), 0);
      assertThat(h.extractOutputValues()).hasSize(2);
      assertThat(function.droppedCount("civil-registry")).isEqualTo(1);

      // Past the TTL the version is forgotten: traffic on other rows reclaims the entry, though
      // row 1 is never read again.
      h.setStateTtlProcessingTime(TTL.toMillis() + 1);
      for (int v = 1; v <= 5; v++) {
        h.processElement(change("civil-registry", "2", v), 0);
      }
      assertThat(h.numKeyedStateEntries()).isEqualTo(1);
      h.processElement(change("civil-registry", "1", 5), 0);
      assertThat(h.extractOutputValues()).hasSize(8);
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }
}
