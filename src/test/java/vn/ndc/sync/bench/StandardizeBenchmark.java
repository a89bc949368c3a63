package vn.ndc.sync.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.MappingResult;
import vn.ndc.sync.standardize.PersonMapper;

/**
 * Standardize: {@link PersonMapper#map} on realistic civil-registry inserts, records/s on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vn.ndc.sync.avro")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class StandardizeBenchmark {

  private PersonMapper mapper;
  private List<SourceChange> changes;

  @Setup
  public void setUp() {
    mapper = new PersonMapper(EntityMapping.load(BenchPeople.CIVIL_REGISTRY));
    changes = BenchPeople.changes(BenchPeople.BATCH);
    long rejected =
        changes.stream().filter(c -> mapper.map(c) instanceof MappingResult.Rejected).count();
    if (rejected > 0) {
      // The figure must be the happy path: every generated person is valid.
      throw new IllegalStateException(
          rejected + " of " + changes.size() + " changes were rejected");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public void map(Blackhole out) {
    for (SourceChange change : changes) {
      out.consume(mapper.map(change));
    }
  }
}
