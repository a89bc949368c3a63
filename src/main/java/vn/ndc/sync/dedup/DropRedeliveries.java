package vn.ndc.sync.dedup;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;

/**
 * Drops a change whose source version is not newer than the last one passed for its source row.
 *
 * <p>Keyed by {@link SourceIdentity}: Debezium delivers at least once, and a restart or a replay of
 * a raw topic repeats changes; dropping them here keeps the enrich state and the store unchanged.
 * Each drop is counted in {@code duplicatesDropped} of the agency's metric group.
 *
 * <p>The last version has a time-to-live from its last write, so state for rows that stop changing
 * is reclaimed. A delete is not forgotten at once: a redelivered older insert or update arriving
 * after it would otherwise pass and resurrect the row in the merge state and the store. It is kept
 * for the TTL, which must exceed the replay horizon (raw-topic retention); a replay older than that
 * passes here and is stopped by the store's ordered upsert, whose deleted rows keep their version.
 */
public final class DropRedeliveries<T> extends KeyedProcessFunction<String, T, T> {

  private static final long serialVersionUID = 1L;

  /** Reads the lineage of a record. */
  @FunctionalInterface
  public interface LineageOf<T> extends java.io.Serializable {
    Lineage apply(T record);
  }

  /** Tells a {@link Retraction}, which passes like a new version but records none. */
  @FunctionalInterface
  public interface RetractionTest<T> extends java.io.Serializable {
    boolean isRetraction(T record);
  }

  private final Duration ttl;
  private final LineageOf<T> lineageOf;
  private final RetractionTest<T> retraction;
  private transient ValueState<Long> lastVersion;
  private transient Map<String, Counter> dropped;

  public DropRedeliveries(Duration ttl, LineageOf<T> lineageOf) {
    this(ttl, lineageOf, record -> false);
  }

  public DropRedeliveries(Duration ttl, LineageOf<T> lineageOf, RetractionTest<T> retraction) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("redelivery TTL must be positive, was " + ttl);
    }
    this.ttl = ttl;
    this.lineageOf = lineageOf;
    this.retraction = retraction;
  }

  /** For canonical persons from agencies. */
  public static DropRedeliveries<Person> persons(Duration ttl) {
    return new DropRedeliveries<>(ttl, Person::getLineage, Retraction::is);
  }

  /** For citizens of the population stream. */
  public static DropRedeliveries<Citizen> citizens(Duration ttl) {
    return new DropRedeliveries<>(ttl, Citizen::getLineage);
  }

  /** Key of a person record: its source identity. */
  public static KeySelector<Person, String> personKey() {
    return SourceIdentity::of;
  }

  /** Key of a citizen change: its source identity. */
  public static KeySelector<Citizen, String> citizenKey() {
    return SourceIdentity::of;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("last-version", Types.LONG);
    descriptor.enableTimeToLive(UnreadStateTtl.of(ttl));
    lastVersion = getRuntimeContext().getState(descriptor);
    dropped = new HashMap<>();
  }

  @Override
  public void processElement(T record, Context ctx, Collector<T> out) throws Exception {
    Lineage lineage = lineageOf.apply(record);
    // A retraction comes just ahead of its update, with the update's version: recording it would
    // drop the update as a redelivery, and dropping it counts no duplicate of its own.
    boolean records = !retraction.isRetraction(record);
    Long last = lastVersion.value();
    if (last != null && lineage.getSourceVersion() <= last) {
      if (records) {
        droppedCounter(lineage.getSourceAgency()).inc();
      }
      return;
    }
    if (records) {
      lastVersion.update(lineage.getSourceVersion());
    }
    out.collect(record);
  }

  /** Duplicates dropped so far for an agency by this subtask. */
  long droppedCount(String agency) {
    Counter counter = dropped.get(agency);
    return counter == null ? 0 : counter.getCount();
  }

  private Counter droppedCounter(String agency) {
    return dropped.computeIfAbsent(
        agency,
        a ->
            getRuntimeContext()
                .getMetricGroup()
                .addGroup("agency", a)
                .counter("duplicatesDropped"));
  }
}
