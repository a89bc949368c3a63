package vn.ndc.sync.enrich;

import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.dedup.Retraction;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/**
 * Step (a) of enrichment, keyed by personal ID: links a record whose personal ID is a citizen of
 * the population data, and is where the population stream enters.
 *
 * <p>Input 1 is the population (citizens, keyed by personal ID). Each citizen version is kept and
 * re-filed for the later steps: under its former ID ({@link EnrichTags#FORMER_ID_INDEX}) and its
 * demographic keys ({@link EnrichTags#DEMOGRAPHIC_INDEX}), withdrawing the keys an earlier version
 * had, so a corrected or deleted citizen stops matching where it no longer should.
 *
 * <p>Input 2 is agency records keyed by {@link #recordKey}. A record whose personal ID is known
 * goes to the main output with method PERSONAL_ID; any other goes to {@link EnrichTags#UNRESOLVED}.
 * A record with an unknown personal ID also leaves a claim here (its demographic-step key, for the
 * claim TTL): when the citizen arrives, the claim is sent on so the waiting record resolves even if
 * its name or address does not match the population's, as at start-up when agency snapshots
 * overtake the population snapshot. A delete with a personal ID always goes to the main output (the
 * merge must withdraw the agency's contribution); when its citizen is unknown it also goes to
 * {@link EnrichTags#UNRESOLVED}, to end the row's version waiting in review.
 */
public final class ResolveByPersonalId
    extends KeyedCoProcessFunction<String, Citizen, Person, Person> {

  private static final long serialVersionUID = 1L;

  private final Duration claimTtl;
  private transient ValueState<Citizen> citizen;
  private transient Claims claims;
  private transient MatchMetrics metrics;

  public ResolveByPersonalId(Duration claimTtl) {
    this.claimTtl = claimTtl;
  }

  /** Key of the population input. */
  public static KeySelector<Citizen, String> citizenKey() {
    return Citizen::getPersonalId;
  }

  /** Key of the record input: the personal ID, or a per-row key when there is none. */
  public static KeySelector<Person, String> recordKey() {
    return r -> r.getPersonalId() != null ? r.getPersonalId() : Resolutions.noIdKey(r);
  }

  @Override
  public void open(OpenContext openContext) {
    citizen =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("citizen", new CompiledAvroTypeInfo<>(Citizen.class)));
    claims = new Claims(getRuntimeContext(), claimTtl);
    metrics = new MatchMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement1(Citizen next, Context ctx, Collector<Person> out) throws Exception {
    Citizen previous = citizen.value();
    if (previous != null
        && next.getLineage().getSourceVersion() <= previous.getLineage().getSourceVersion()) {
      metrics.staleDropped(next.getLineage().getSourceAgency());
      return;
    }
    refileFormerId(previous, next, ctx);
    Set<String> newKeys = next.getDeleted() ? Set.of() : MatchKeys.of(next);
    if (previous != null) {
      for (String key : MatchKeys.of(previous)) {
        if (!newKeys.contains(key)) {
          ctx.output(
              EnrichTags.DEMOGRAPHIC_INDEX,
              Resolutions.entry(key, IndexEntryKind.WITHDRAW, previous));
        }
      }
    }
    for (String key : newKeys) {
      ctx.output(EnrichTags.DEMOGRAPHIC_INDEX, Resolutions.entry(key, IndexEntryKind.FILE, next));
    }
    if (next.getDeleted()) {
      // Records claiming a deleted citizen keep waiting: the claim stays until it expires.
      citizen.clear();
      return;
    }
    citizen.update(next);
    for (String key : claims.keys(ctx.timerService().currentProcessingTime())) {
      if (!newKeys.contains(key)) {
        ctx.output(
            EnrichTags.DEMOGRAPHIC_INDEX, Resolutions.entry(key, IndexEntryKind.CLAIM, next));
      }
    }
    claims.clear();
  }

  private static void refileFormerId(Citizen previous, Citizen next, Context ctx) {
    String oldId = previous == null ? null : previous.getFormerId();
    String newId = next.getDeleted() ? null : next.getFormerId();
    if (oldId != null && !oldId.equals(newId)) {
      ctx.output(
          EnrichTags.FORMER_ID_INDEX, Resolutions.entry(oldId, IndexEntryKind.WITHDRAW, previous));
    }
    if (newId != null) {
      ctx.output(EnrichTags.FORMER_ID_INDEX, Resolutions.entry(newId, IndexEntryKind.FILE, next));
    }
  }

  @Override
  public void processElement2(Person record, Context ctx, Collector<Person> out) throws Exception {
    String personalId = record.getPersonalId();
    if (Retraction.is(record)) {
      // Its version was linked to this citizen if it is known; the update, with another ID, will
      // not replace it there, so the merge takes it back: on the main output, which carried the
      // link, so that it cannot overtake it (only the merge takes retractions from there). It
      // also follows its version's path to the demographic step, and changes nothing here.
      if (personalId != null && Retraction.personalIdChanged(record) && citizen.value() != null) {
        out.collect(record);
      }
      ctx.output(EnrichTags.UNRESOLVED, record);
      return;
    }
    if (personalId == null) {
      ctx.output(EnrichTags.UNRESOLVED, record);
      return;
    }
    if (citizen.value() != null) {
      out.collect(Resolutions.linked(record, personalId, MatchMethod.PERSONAL_ID));
      metrics.matched(record.getLineage().getSourceAgency(), MatchMethod.PERSONAL_ID);
      return;
    }
    if (record.getDeleted()) {
      // A delete must reach the merge to withdraw the agency's contribution, known citizen or not.
      // With the citizen unknown, the row's version may be waiting at the demographic step: the
      // delete goes there too, to take it out of review.
      out.collect(Resolutions.linked(record, personalId, MatchMethod.PERSONAL_ID));
      ctx.output(EnrichTags.UNRESOLVED, record);
      return;
    }
    claims.add(MatchKeys.demographicStepKey(record), ctx.timerService());
    ctx.output(EnrichTags.UNRESOLVED, record);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Person> out) throws Exception {
    // Claims expire through state TTL; only timers restored from the timer-based layout fire.
    claims.onLegacyTimer(timestamp);
  }

  /** Matches so far by agency and method, for tests. */
  long matched(String agency, MatchMethod method) {
    return metrics.count(agency, "method", method.name(), "matched");
  }

  /** Stale citizen versions dropped so far for {@code agency}, for tests. */
  long staleDropped(String agency) {
    return metrics.staleCount(agency);
  }
}
