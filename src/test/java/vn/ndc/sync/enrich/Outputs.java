package vn.ndc.sync.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import vn.ndc.sync.avro.Person;

/** Drains what a harness emitted, so each step of a test sees only the new outputs. */
final class Outputs {

  private Outputs() {}

  /** Takes the main output emitted since the last call. */
  @SuppressWarnings("unchecked")
  static <T> List<T> main(AbstractStreamOperatorTestHarness<T> harness) {
    List<T> values = new ArrayList<>();
    Object next;
    while ((next = harness.getOutput().poll()) != null) {
      if (next instanceof StreamRecord<?> record) {
        values.add((T) record.getValue());
      }
    }
    return values;
  }

  /**
   * Takes the main output of a resolution step emitted since the last call, keeping the linked
   * records, withdrawals and retractions (what the merge takes); unlinked records are for the
   * per-source store.
   */
  static List<Person> linked(AbstractStreamOperatorTestHarness<Person> harness) {
    return main(harness).stream()
        .filter(p -> p.getMatchMethod() != null || vn.ndc.sync.dedup.Retraction.is(p))
        .toList();
  }

  /** Takes the side output {@code tag} emitted since the last call. */
  static <T> List<T> side(AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
    List<T> values = new ArrayList<>();
    Queue<StreamRecord<T>> queue = harness.getSideOutput(tag);
    if (queue == null) {
      return values;
    }
    StreamRecord<T> next;
    while ((next = queue.poll()) != null) {
      values.add(next.getValue());
    }
    return values;
  }
}
