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
    moveFrom(next.value(), earliest, timers);
  }

  private void moveFrom(Long current, Long earliest, TimerService timers) throws Exception {
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

  /**
   * After an entry expiring at {@code at} was added (and none removed): moves the timer there
   * unless it is already due no later.
   */
  void scheduleNoLaterThan(long at, TimerService timers) throws Exception {
    Long current = next.value();
    if (current != null && current <= at) {
      return;
    }
    moveFrom(current, at, timers);
  }

  /** Called first in onTimer: the timer that fired is gone. */
  void fired() {
    next.clear();
  }
}
