package vn.ndc.sync.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.dedup.Retraction;
import vn.ndc.sync.dedup.SourceIdentity;

/**
 * One NDC person per citizen, keyed by personal ID: keeps the latest record of each contributing
 * agency and emits the person merged by survivorship rules.
 *
 * <p>For each field the value comes from the highest agency in the priority list that has one;
 * among agencies of equal rank (those not listed share the lowest), from the latest source commit.
 * {@code sources} lists the contributing agencies in that order. A delete from an agency withdraws
 * only that agency's contribution; when none is left the merged person is a delete.
 *
 * <p>Versions: sources' versions cannot be compared with one another, and the NDC store keeps a
 * person's highest version, so the merged lineage is that of the change that produced the merged
 * version, with {@code sourceVersion} replaced by a merge version that rises with each emission per
 * person: the previous one plus one, at least the source commit time in microseconds, so it keeps
 * rising after the state of a deleted person was reclaimed.
 *
 * <p>A withdrawal from enrichment (a demographic link the population made ambiguous or wrong, see
 * {@link ResolveByDemographics}) removes the contribution it names, like a delete.
 *
 * <p>An agency's delete is remembered for {@code deleteRetention}, so a redelivered older record
 * from that agency cannot bring its contribution back; then it and, if nothing else remains, all
 * the person's state are cleared.
 */
public final class MergePersonSources extends KeyedProcessFunction<String, Person, Person> {

  private static final long serialVersionUID = 1L;

  private final List<String> priority;
  private final Duration deleteRetention;
  private transient MapState<String, Person> contributions;
  private transient MapState<String, Long> deleteExpiry;
  private transient ValueState<Long> mergeVersion;
  private transient ExpiryTimer timer;
  private transient Counter staleDropped;

  /**
   * @param priority agencies from most to least trusted, e.g. population, civil-registry,
   *     health-insurance, land-registry
   * @param deleteRetention how long an agency's delete is remembered
   */
  public MergePersonSources(List<String> priority, Duration deleteRetention) {
    this.priority = List.copyOf(priority);
    this.deleteRetention = deleteRetention;
  }

  /** Key: the personal ID attached by enrichment. */
  public static KeySelector<Person, String> personalIdKey() {
    return Person::getPersonalId;
  }

  @Override
  public void open(OpenContext openContext) {
    contributions = AvroState.map(getRuntimeContext(), "contributions", Person.class);
    deleteExpiry =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("delete-expiry", Types.STRING, Types.LONG));
    mergeVersion =
        getRuntimeContext().getState(new ValueStateDescriptor<>("merge-version", Types.LONG));
    timer = new ExpiryTimer(getRuntimeContext(), "delete-timer");
    staleDropped = getRuntimeContext().getMetricGroup().counter("staleContributionsDropped");
  }

  @Override
  public void processElement(Person record, Context ctx, Collector<Person> out) throws Exception {
    String agency = record.getLineage().getSourceAgency();
    Person held = contributions.get(agency);
    if (Resolutions.isWithdrawal(record)) {
      withdraw(record, held, ctx, out);
      return;
    }
    if (Retraction.is(record)) {
      // The agency row was corrected to another ID: its older version, linked here by the old
      // one, is no longer the agency's word on this citizen. A newer version held here stays.
      if (held != null
          && !held.getDeleted()
          && SourceIdentity.of(held).equals(SourceIdentity.of(record))
          && held.getLineage().getSourceVersion() < record.getLineage().getSourceVersion()) {
        withdraw(Resolutions.withdrawal(held), held, ctx, out);
      }
      return;
    }
    if (held != null && isStale(record, held)) {
      staleDropped.inc();
      return;
    }
    Long version = mergeVersion.value();
    contributions.put(agency, record);
    // A delete expiry exists only while the agency's contribution is a delete or a withdrawal.
    // Touching it otherwise would, on RocksDB, leave a tombstone that the scan of the expiries
    // below must skip, and then every later scan of any key after it: a scan per change grew with
    // every change before it (BENCHMARKS.md, step 27).
    boolean heldDeleted = held != null && held.getDeleted();
    if (record.getDeleted()) {
      deleteExpiry.put(
          agency, ctx.timerService().currentProcessingTime() + deleteRetention.toMillis());
      timer.schedule(earliestDeleteExpiry(), ctx.timerService());
    } else if (heldDeleted) {
      deleteExpiry.remove(agency);
      timer.schedule(earliestDeleteExpiry(), ctx.timerService());
    }
    // Every live contribution was merged when it came, which set the merge version: without one,
    // no other agency's contribution is live, and a new person needs no scan of its contributions
    // (a scan cannot use the bloom filters that make a point read of a new key cheap).
    List<Person> live =
        version != null ? live() : record.getDeleted() ? List.of() : List.of(record);
    boolean wasLive =
        (held != null && !heldDeleted)
            || live.stream().anyMatch(p -> !agency.equals(p.getLineage().getSourceAgency()));
    if (!live.isEmpty()) {
      out.collect(merge(ctx.getCurrentKey(), live, record.getLineage(), version));
    } else if (wasLive) {
      out.collect(tombstone(ctx.getCurrentKey(), record.getLineage(), version));
    }
  }

  // Enrichment took back a link: kept like a delete, but the same record version may come back
  // if the population makes the link right again.
  private void withdraw(Person withdrawal, Person held, Context ctx, Collector<Person> out)
      throws Exception {
    if (held == null
        || held.getDeleted()
        || held.getLineage().getSourceVersion() != withdrawal.getLineage().getSourceVersion()) {
      return;
    }
    String agency = withdrawal.getLineage().getSourceAgency();
    contributions.put(agency, withdrawal);
    deleteExpiry.put(
        agency, ctx.timerService().currentProcessingTime() + deleteRetention.toMillis());
    timer.schedule(earliestDeleteExpiry(), ctx.timerService());
    List<Person> live = live();
    if (!live.isEmpty()) {
      out.collect(merge(ctx.getCurrentKey(), live, withdrawal.getLineage(), mergeVersion.value()));
    } else {
      out.collect(tombstone(ctx.getCurrentKey(), withdrawal.getLineage(), mergeVersion.value()));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Person> out) throws Exception {
    timer.fired();
    List<String> expired = new ArrayList<>();
    for (Map.Entry<String, Long> e : deleteExpiry.entries()) {
      if (e.getValue() <= timestamp) {
        expired.add(e.getKey());
      }
    }
    for (String agency : expired) {
      deleteExpiry.remove(agency);
      contributions.remove(agency);
    }
    if (contributions.isEmpty()) {
      contributions.clear();
      mergeVersion.clear();
    }
    if (deleteExpiry.isEmpty()) {
      deleteExpiry.clear();
    }
    timer.schedule(earliestDeleteExpiry(), ctx.timerService());
  }

  private static boolean isStale(Person record, Person held) {
    long version = record.getLineage().getSourceVersion();
    long heldVersion = held.getLineage().getSourceVersion();
    return Resolutions.isWithdrawal(held) ? version < heldVersion : version <= heldVersion;
  }

  private List<Person> live() throws Exception {
    List<Person> live = new ArrayList<>();
    for (Person p : contributions.values()) {
      if (!p.getDeleted()) {
        live.add(p);
      }
    }
    return live;
  }

  private Long earliestDeleteExpiry() throws Exception {
    Long min = null;
    for (Long at : deleteExpiry.values()) {
      min = min == null ? at : Math.min(min, at);
    }
    return min;
  }

  private Person merge(String personalId, List<Person> live, Lineage trigger, Long previous)
      throws Exception {
    List<Person> ranked = new ArrayList<>(live);
    ranked.sort(
        Comparator.comparingInt((Person p) -> rank(p.getLineage().getSourceAgency()))
            .thenComparing(
                (Person p) -> p.getLineage().getSourceCommitTime(), Comparator.reverseOrder()));
    Person merged =
        Person.newBuilder()
            .setPersonKey(personalId)
            .setPersonalId(personalId)
            .setFormerId(first(ranked, Person::getFormerId))
            .setFullName(first(ranked, Person::getFullName))
            .setDateOfBirth(first(ranked, Person::getDateOfBirth))
            .setSex(first(ranked, Person::getSex))
            .setNationality(first(ranked, Person::getNationality))
            .setEthnicity(first(ranked, Person::getEthnicity))
            .setPhone(first(ranked, Person::getPhone))
            .setPermanentAddress(first(ranked, Person::getPermanentAddress))
            .setCurrentAddress(first(ranked, Person::getCurrentAddress))
            .setDeleted(false)
            .setLineage(nextLineage(trigger, previous))
            .setMatchMethod(strongest(ranked))
            .setSources(ranked.stream().map(p -> p.getLineage().getSourceAgency()).toList())
            .build();
    return merged;
  }

  private Person tombstone(String personalId, Lineage trigger, Long previous) throws Exception {
    return Person.newBuilder()
        .setPersonKey(personalId)
        .setPersonalId(personalId)
        .setDeleted(true)
        .setLineage(nextLineage(trigger, previous))
        .setSources(List.of())
        .build();
  }

  /** The lineage of a merged version after {@code previous}, the key's merge version held. */
  private Lineage nextLineage(Lineage trigger, Long previous) throws Exception {
    long floor = trigger.getSourceCommitTime().toEpochMilli() * 1000;
    long version = Math.max(previous == null ? 0 : previous + 1, floor);
    mergeVersion.update(version);
    Lineage lineage = Lineage.newBuilder(trigger).build();
    lineage.setSourceVersion(version);
    return lineage;
  }

  private int rank(String agency) {
    int index = priority.indexOf(agency);
    return index < 0 ? priority.size() : index;
  }

  private static <V> V first(List<Person> ranked, Function<Person, V> field) {
    for (Person p : ranked) {
      V value = field.apply(p);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  // The merged person is as well linked as its best-linked contribution.
  private static MatchMethod strongest(List<Person> ranked) {
    MatchMethod best = null;
    for (Person p : ranked) {
      MatchMethod m = p.getMatchMethod();
      if (m != null && (best == null || m.ordinal() < best.ordinal())) {
        best = m;
      }
    }
    return best;
  }
}
