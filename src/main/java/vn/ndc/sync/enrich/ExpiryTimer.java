package vn.ndc.sync.enrich;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * One processing-time timer per key, at the earliest expiry of the key's state: a key holding many
 * waiting entries costs one timer, not one per entry.
 */
final class ExpiryTimer {

  private final ValueState<Long> next;

  ExpiryTimer(RuntimeContext context, String name) {
    this.next = context.getState(new ValueStateDescriptor<>(name, Types.LONG));
  }

  /** Moves the key's timer to {@code earliest}, or removes it when null. */
  void schedule(Long earliest, TimerService timers) throws Exception {
    Long current = next.value();
    if (current != null && current.equals(earliest)) {
      return;
    }
    if (current != null) {
      timers.deleteProcessingTimeTimer(current);
    }
    if (earliest == null) {
      next.clear();
    } else {
      timers.registerProcessingTimeTimer(earliest);
      next.update(earliest);
    }
  }

  /** Called first in onTimer: the timer that fired is gone. */
  void fired() {
    next.clear();
  }
}
