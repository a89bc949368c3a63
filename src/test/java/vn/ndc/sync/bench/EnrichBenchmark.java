package vn.ndc.sync.bench;

import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.enrich.MergePersonSources;
import vn.ndc.sync.enrich.ResolveByPersonalId;

/**
 * Enrich: the personal-ID resolution against the population ({@link ResolveByPersonalId}, 1,024
 * citizens in state, every record's ID known) and survivorship ({@link MergePersonSources}, two
 * agencies per person), on heap keyed state through Flink's operator test harness; records/s on one
 * core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vn.ndc.sync.avro")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class EnrichBenchmark {

  private static final Duration TTL = Duration.ofDays(7);

  private KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> resolve;
  private KeyedOneInputStreamOperatorTestHarness<String, Person, Person> merge;
  private List<Person> records;
  private long version;

  @Setup(Level.Iteration)
  public void setUp() throws Exception {
    resolve =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            new ResolveByPersonalId(TTL),
            ResolveByPersonalId.citizenKey(),
            ResolveByPersonalId.recordKey(),
            Types.STRING);
    merge =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new MergePersonSources(List.of("civil-registry", "health-insurance"), TTL),
            MergePersonSources.personalIdKey(),
            Types.STRING);
    records = new ArrayList<>(BenchPeople.BATCH);
    for (int i = 0; i < BenchPeople.BATCH; i++) {
      String id = String.format("001090%06d", i);
      resolve.processElement1(
          citizen(id)
              .name("Nguyễn Văn An")
              .born("1990-03-15")
              .sex(Sex.MALE)
              .birthProvince("001")
              .livesIn("01")
              .build(),
          0);
      String agency = i % 2 == 0 ? "civil-registry" : "health-insurance";
      records.add(
          person(agency)
              .personalId(id)
              .name("Nguyễn Văn An")
              .born("1990-03-15")
              .sex(Sex.MALE)
              .livesIn("01")
              .sourceKey(String.valueOf(i))
              .version(1)
              .build());
    }
    resolve.getOutput().clear();
    version = 1;
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws Exception {
    resolve.close();
    merge.close();
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public int resolveByPersonalId() throws Exception {
    for (Person p : records) {
      resolve.processElement2(p, 0);
    }
    int n = resolve.getOutput().size();
    resolve.getOutput().clear();
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public int mergePersonSources() throws Exception {
    version++;
    for (Person p : records) {
      // A copy: heap state holds the record itself, so mutating it would change the state.
      Person change = Person.newBuilder(p).build();
      change.getLineage().setSourceVersion(version);
      merge.processElement(change, 0);
    }
    int n = merge.getOutput().size();
    merge.getOutput().clear();
    return n;
  }
}
