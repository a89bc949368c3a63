package vn.ndc.sync.enrich;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/** Keyed state of Avro records (never Kryo), as the enrich functions declare it. */
final class AvroState {

  private AvroState() {}

  /** Map state from text keys to Avro records of {@code type}. */
  static <T extends SpecificRecordBase> MapState<String, T> map(
      RuntimeContext context, String name, Class<T> type) {
    return context.getMapState(
        new MapStateDescriptor<>(name, Types.STRING, new CompiledAvroTypeInfo<>(type)));
  }
}
