package vn.ndc.sync.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.enrich.EnrichTags;
import vn.ndc.sync.enrich.KeyedHarnesses;
import vn.ndc.sync.enrich.ResolveByDemographics;
import vn.ndc.sync.enrich.ResolveByPersonalId;
import vn.ndc.sync.job.FlinkEnvironments;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.MappingResult;
import vn.ndc.sync.standardize.PersonMapper;

/**
 * Enrich, the path every row of the end-to-end bench takes: a new row whose personal ID no citizen
 * has leaves a claim at {@link ResolveByPersonalId} and waits in review at {@link
 * ResolveByDemographics}; records/s on one core, on heap state and on RocksDB configured as the
 * jobs configure it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vn.ndc.sync.avro")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ReviewWaitBenchmark {

  private static final Duration TTL = Duration.ofDays(30);

  @Param({"hashmap", "rocksdb"})
  public String backend;

  private KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> byPersonalId;
  private KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      byDemographics;
  private List<Person> people;
  private long row;

  @Setup(Level.Iteration)
  public void setUp() throws Exception {
    byPersonalId =
        KeyedHarnesses.twoInputs(
            new ResolveByPersonalId(TTL),
            ResolveByPersonalId.citizenKey(),
            ResolveByPersonalId.recordKey(),
            stateBackend());
    byDemographics =
        KeyedHarnesses.twoInputs(
            new ResolveByDemographics(TTL),
            ResolveByDemographics.entryKey(),
            ResolveByDemographics.recordKey(),
            stateBackend());
    PersonMapper mapper = new PersonMapper(EntityMapping.load(BenchPeople.CIVIL_REGISTRY));
    people = new ArrayList<>(BenchPeople.BATCH);
    for (SourceChange change : BenchPeople.changes(BenchPeople.BATCH)) {
      if (mapper.map(change) instanceof MappingResult.Mapped mapped) {
        people.add(mapped.person());
      } else {
        throw new IllegalStateException("a generated person was rejected: " + change.getRow());
      }
    }
    row = 0;
  }

  private StateBackend stateBackend() {
    if (backend.equals("hashmap")) {
      return new HashMapStateBackend();
    }
    Configuration conf = FlinkEnvironments.stateBackend(PersonSyncOptions.StateBackendKind.ROCKSDB);
    // The harness has next to no managed memory; a slot of the local cluster has half of its 1 GiB.
    conf.set(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, MemorySize.ofMebiBytes(512));
    return new EmbeddedRocksDBStateBackend().configure(conf, getClass().getClassLoader());
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws Exception {
    byPersonalId.close();
    byDemographics.close();
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public int newRowWaits() throws Exception {
    for (Person template : people) {
      // Every change is a new row with a new personal ID, as in the end-to-end bench; the copy
      // (about a microsecond) is part of the figure.
      row++;
      Person p = Person.newBuilder(template).build();
      p.setSourceKey(String.valueOf(row));
      p.setPersonKey("civil-registry:" + row);
      p.setPersonalId(String.format("099%09d", row));
      // A match key of its own, as nearly every bench row has (name, birth date, sex, province).
      p.setDateOfBirth(template.getDateOfBirth().plusDays(row / BenchPeople.BATCH));
      byPersonalId.processElement2(p, 0);
    }
    int n = 0;
    for (StreamRecord<Person> unresolved : byPersonalId.getSideOutput(EnrichTags.UNRESOLVED)) {
      byDemographics.processElement2(unresolved);
      n++;
    }
    byPersonalId.getSideOutput(EnrichTags.UNRESOLVED).clear();
    byDemographics.getOutput().clear();
    // The reviews would otherwise pile up in the harness for the whole iteration.
    var reviews = byDemographics.getSideOutput(EnrichTags.REVIEW);
    if (reviews != null) {
      reviews.clear();
    }
    return n;
  }
}
