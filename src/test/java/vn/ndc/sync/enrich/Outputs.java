package vn.ndc.sync.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

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
