package vn.ndc.sync.enrich;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/** Opened harnesses for keyed functions (String keys) on a chosen state backend. */
public final class KeyedHarnesses {

  private KeyedHarnesses() {}

  /** A one-input keyed function, opened on {@code backend}. */
  public static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> oneInput(
      KeyedProcessFunction<String, I, O> function, KeySelector<I, String> key, StateBackend backend)
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(function), key, Types.STRING);
    h.setStateBackend(backend);
    h.open();
    return h;
  }

  /** A two-input keyed function, opened on {@code backend}. */
  public static <I1, I2, O> KeyedTwoInputStreamOperatorTestHarness<String, I1, I2, O> twoInputs(
      KeyedCoProcessFunction<String, I1, I2, O> function,
      KeySelector<I1, String> key1,
      KeySelector<I2, String> key2,
      StateBackend backend)
      throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(function), key1, key2, Types.STRING);
    h.setStateBackend(backend);
    h.open();
    return h;
  }
}
