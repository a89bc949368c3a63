package vn.ndc.sync.typeutils;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.ndc.sync.avro.Person;

/**
 * A job upgraded to {@link CompiledAvroSerializer} restores the state its earlier release wrote
 * with Flink's Avro serializer, on both state backends.
 */
class SerializerUpgradeTest {

  /** Keeps every person it sees by key, and emits what it held for the key before. */
  private static final class KeepPeople extends KeyedProcessFunction<String, Person, Person> {
    private final TypeInformation<Person> stateType;
    private transient MapState<String, Person> held;

    KeepPeople(TypeInformation<Person> stateType) {
      this.stateType = stateType;
    }

    @Override
    public void open(OpenContext openContext) {
      held =
          getRuntimeContext()
              .getMapState(new MapStateDescriptor<>("held", Types.STRING, stateType));
    }

    @Override
    public void processElement(Person person, Context ctx, Collector<Person> out) throws Exception {
      for (Person before : held.values()) {
        out.collect(before);
      }
      held.put(String.valueOf(person.getFullName()), person);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Person, Person> harness(
      TypeInformation<Person> stateType, StateBackend backend) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new KeepPeople(stateType)),
            Person::getPersonKey,
            Types.STRING);
    ((SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
    h.setStateBackend(backend);
    return h;
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void stateOfFlinksAvroSerializerIsReadBack(String backendName) throws Exception {
    StateBackend backend =
        backendName.equals("rocksdb")
            ? new EmbeddedRocksDBStateBackend()
            : new HashMapStateBackend();
    Person person = CompiledAvroSerializerTest.randomPerson(11L);
    person.setPersonKey("001185000001");

    OperatorSubtaskState snapshot;
    try (var before = harness(new AvroTypeInfo<>(Person.class), backend)) {
      before.open();
      before.processElement(person, 0);
      snapshot = before.snapshot(1, 1);
    }
    try (var after = harness(new CompiledAvroTypeInfo<>(Person.class), backend)) {
      after.initializeState(snapshot);
      after.open();
      Person next = Person.newBuilder(person).setFullName("Trần Văn B").build();
      after.processElement(next, 1);

      assertThat(after.extractOutputValues()).containsExactly(person);
      // And the state now written by the new serializer reads back too.
      OperatorSubtaskState second = after.snapshot(2, 2);
      try (var again = harness(new CompiledAvroTypeInfo<>(Person.class), backend)) {
        again.initializeState(second);
        again.open();
        again.processElement(next, 2);
        assertThat(again.extractOutputValues()).containsExactlyInAnyOrder(person, next);
      }
    }
  }
}
