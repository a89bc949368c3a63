package vn.ndc.sync.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.dedup.Retraction;

/**
 * Step (b) of enrichment, keyed by former ID card number: links a record whose former ID maps to
 * exactly one citizen, attaching the citizen's personal ID.
 *
 * <p>Input 1 is {@link EnrichTags#FORMER_ID_INDEX} of {@link ResolveByPersonalId}; input 2 the
 * records it could not resolve. A record is linked only when one citizen holds the former ID and
 * the record's own personal ID, if any, is that citizen's: a contradicting personal ID goes on to
 * review rather than being overwritten. Unresolved records go to {@link EnrichTags#UNRESOLVED};
 * when no citizen holds the former ID, a claim is left for the claim TTL and sent to {@link
 * EnrichTags#DEMOGRAPHIC_INDEX} when one is filed.
 */
public final class ResolveByFormerId
    extends KeyedCoProcessFunction<String, CitizenIndexEntry, Person, Person> {

  private static final long serialVersionUID = 1L;

  private final Duration claimTtl;
  private transient MapState<String, Citizen> citizens;
  private transient Claims claims;
  private transient MatchMetrics metrics;

  public ResolveByFormerId(Duration claimTtl) {
    this.claimTtl = claimTtl;
  }

  /** Key of the index input. */
  public static KeySelector<CitizenIndexEntry, String> entryKey() {
    return CitizenIndexEntry::getLookupKey;
  }

  /** Key of the record input: the former ID, or a per-row key when there is none. */
  public static KeySelector<Person, String> recordKey() {
    return r -> r.getFormerId() != null ? r.getFormerId() : Resolutions.noIdKey(r);
  }

  @Override
  public void open(OpenContext openContext) {
    citizens = AvroState.map(getRuntimeContext(), "citizens", Citizen.class);
    claims = new Claims(getRuntimeContext(), claimTtl);
    metrics = new MatchMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement1(CitizenIndexEntry entry, Context ctx, Collector<Person> out)
      throws Exception {
    Citizen citizen = entry.getCitizen();
    switch (entry.getKind()) {
      case FILE -> {
        citizens.put(citizen.getPersonalId(), citizen);
        for (String key : claims.keys(ctx.timerService().currentProcessingTime())) {
          ctx.output(
              EnrichTags.DEMOGRAPHIC_INDEX, Resolutions.entry(key, IndexEntryKind.CLAIM, citizen));
        }
        claims.clear();
      }
      case WITHDRAW -> citizens.remove(citizen.getPersonalId());
      case CLAIM -> {
        // Only the demographic step takes claims.
      }
    }
  }

  @Override
  public void processElement2(Person record, Context ctx, Collector<Person> out) throws Exception {
    if (record.getFormerId() == null) {
      ctx.output(EnrichTags.UNRESOLVED, record);
      return;
    }
    List<Citizen> holders = new ArrayList<>();
    citizens.values().forEach(holders::add);
    if (Retraction.is(record)) {
      // Its version was linked to the one holder, as below; the update, with another ID, will not
      // replace it there, so the merge takes it back (on the main output, behind the link). The
      // retraction also follows its version's path to the demographic step, and changes nothing
      // here.
      if (Retraction.anyIdChanged(record)
          && holders.size() == 1
          && (record.getPersonalId() == null
              || record.getPersonalId().equals(holders.get(0).getPersonalId()))) {
        out.collect(Resolutions.retractionFor(record, holders.get(0).getPersonalId()));
      }
      ctx.output(EnrichTags.UNRESOLVED, record);
      return;
    }
    if (holders.size() == 1) {
      String personalId = holders.get(0).getPersonalId();
      if (record.getPersonalId() == null || record.getPersonalId().equals(personalId)) {
        out.collect(Resolutions.linked(record, personalId, MatchMethod.FORMER_ID));
        if (!record.getDeleted()) {
          metrics.matched(record.getLineage().getSourceAgency(), MatchMethod.FORMER_ID);
        }
        return;
      }
    }
    if (holders.isEmpty() && !record.getDeleted()) {
      claims.add(MatchKeys.demographicStepKey(record), ctx.timerService());
    }
    ctx.output(EnrichTags.UNRESOLVED, record);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Person> out) throws Exception {
    // Claims expire through state TTL; only timers restored from the timer-based layout fire.
    claims.onLegacyTimer(timestamp);
  }

  /** Matches so far by agency, for tests. */
  long matched(String agency) {
    return metrics.count(agency, "method", MatchMethod.FORMER_ID.name(), "matched");
  }
}
