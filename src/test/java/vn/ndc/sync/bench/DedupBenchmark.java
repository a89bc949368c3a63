package vn.ndc.sync.bench;

import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
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
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.dedup.DropRedeliveries;

/**
 * Dedup: {@link DropRedeliveries} on heap keyed state (Flink's operator test harness, key selector
 * and TTL state included), records/s on one core: new versions of 1,024 source rows (each passes)
 * and the same versions again (each is a redelivery and is dropped).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vn.ndc.sync.avro")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DedupBenchmark {

  private KeyedOneInputStreamOperatorTestHarness<String, Person, Person> harness;
  private List<Person> changes;
  private long version;

  @Setup(Level.Iteration)
  public void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            DropRedeliveries.persons(Duration.ofDays(7)),
            DropRedeliveries.personKey(),
            Types.STRING);
    changes = new ArrayList<>(BenchPeople.BATCH);
    for (int i = 0; i < BenchPeople.BATCH; i++) {
      changes.add(
          person("civil-registry")
              .personalId(String.format("001090%06d", i))
              .sourceKey(String.valueOf(i))
              .version(1)
              .build());
    }
    version = 1;
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws Exception {
    harness.close();
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public int newVersions() throws Exception {
    version++;
    for (Person p : changes) {
      p.getLineage().setSourceVersion(version);
      harness.processElement(p, 0);
    }
    return drain();
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public int redeliveries() throws Exception {
    for (Person p : changes) {
      harness.processElement(p, 0);
    }
    return drain();
  }

  private int drain() {
    int n = harness.getOutput().size();
    harness.getOutput().clear();
    return n;
  }
}
