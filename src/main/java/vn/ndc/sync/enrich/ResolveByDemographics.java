package vn.ndc.sync.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.DemographicLink;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.ReviewReason;
import vn.ndc.sync.avro.ReviewStatus;
import vn.ndc.sync.dedup.Retraction;
import vn.ndc.sync.dedup.SourceIdentity;

/**
 * Step (c) of enrichment, keyed by demographic match key ({@link MatchKeys}): links a record when
 * exactly one citizen has its folded name, date of birth, sex and province, and keeps the records
 * it cannot link until the population data gains or corrects a citizen that matches.
 *
 * <p>Input 1 is {@link EnrichTags#DEMOGRAPHIC_INDEX}: citizens filed under or withdrawn from the
 * key, and claims (a citizen whose personal or former ID a record waiting here carries). Input 2 is
 * the records steps (a) and (b) left unresolved, keyed by {@link MatchKeys#demographicStepKey}.
 *
 * <p>A record with a personal ID links only to that citizen (late PERSONAL_ID), one with a former
 * ID only to its holder (late FORMER_ID) or to a single candidate without a former ID; an ID that
 * contradicts the demographic candidate is for a person to review, not for the pipeline to
 * override. Unlinked records go to {@link EnrichTags#REVIEW} as WAITING and stay in state until
 * linked (then RESOLVED, and the record goes to the main output) or until the review TTL (then
 * EXPIRED), or until the agency deletes the row or corrects its ID (then SUPERSEDED). Records that
 * can never link automatically are REJECTED and not kept.
 *
 * <p>A demographic link is watched for the review TTL: if the population then files another citizen
 * under the key, or withdraws the linked one, the link is withdrawn (a {@code
 * Resolutions#withdrawal} on the main output, which the merge applies) and the record is linked
 * anew or goes to review. Without this, whichever citizen the population stream delivered first
 * would win a match that is in truth ambiguous.
 */
public final class ResolveByDemographics
    extends KeyedCoProcessFunction<String, CitizenIndexEntry, Person, Person>
    implements CheckpointedFunction {

  private static final long serialVersionUID = 1L;

  private final Duration reviewTtl;
  private transient MapState<String, CitizenIndexEntry> citizens;
  private transient MapState<String, Long> claimExpiry;
  private transient MapState<String, PersonReview> waiting;
  private transient MapState<String, DemographicLink> links;
  // The one-timer-per-key layout's state, read only when one of its timers fires after a restore.
  private transient ValueState<Long> legacyTimer;
  private transient MatchMetrics metrics;
  private transient ListState<Long> waitingCountState;
  private transient long waitingCount;

  public ResolveByDemographics(Duration reviewTtl) {
    this.reviewTtl = reviewTtl;
  }

  /** Key of the index input. */
  public static KeySelector<CitizenIndexEntry, String> entryKey() {
    return CitizenIndexEntry::getLookupKey;
  }

  /** Key of the record input. */
  public static KeySelector<Person, String> recordKey() {
    return MatchKeys::demographicStepKey;
  }

  @Override
  public void open(OpenContext openContext) {
    citizens = AvroState.map(getRuntimeContext(), "citizens", CitizenIndexEntry.class);
    claimExpiry =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("claim-expiry", Types.STRING, Types.LONG));
    waiting = AvroState.map(getRuntimeContext(), "waiting", PersonReview.class);
    links = AvroState.map(getRuntimeContext(), "demographic-links", DemographicLink.class);
    legacyTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
    metrics = new MatchMetrics(getRuntimeContext().getMetricGroup());
    getRuntimeContext().getMetricGroup().gauge("recordsWaiting", (Gauge<Long>) () -> waitingCount);
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    // Keyed state cannot be counted cheaply; each subtask keeps its count in operator state, and
    // on rescaling the counts are redistributed, so the sum over subtasks stays right.
    waitingCountState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("records-waiting", Types.LONG));
    waitingCount = 0;
    for (Long count : waitingCountState.get()) {
      waitingCount += count;
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    waitingCountState.update(List.of(waitingCount));
  }

  @Override
  public void processElement1(CitizenIndexEntry entry, Context ctx, Collector<Person> out)
      throws Exception {
    String personalId = entry.getCitizen().getPersonalId();
    CitizenIndexEntry held = citizens.get(personalId);
    long now = ctx.timerService().currentProcessingTime();
    switch (entry.getKind()) {
      case FILE -> {
        citizens.put(personalId, entry);
        // Only a claim has an expiry; removing one that is not there would leave a tombstone.
        if (held != null && held.getKind() == IndexEntryKind.CLAIM) {
          claimExpiry.remove(personalId);
        }
      }
      case WITHDRAW -> {
        if (held != null && held.getKind() == IndexEntryKind.FILE) {
          citizens.remove(personalId);
        }
      }
      case CLAIM -> {
        // A claim answers records already waiting, and those still on their way here.
        if (held == null || held.getKind() == IndexEntryKind.CLAIM) {
          citizens.put(personalId, entry);
          claimExpiry.put(personalId, now + reviewTtl.toMillis());
          expireAt(now + reviewTtl.toMillis(), ctx.timerService());
        }
      }
    }
    reevaluateWaiting(ctx, out, now);
  }

  private void reevaluateWaiting(Context ctx, Collector<Person> out, long now) throws Exception {
    // Under most keys nothing waits and nothing is linked when a citizen is filed (a population's
    // first load files every citizen): the key's citizens are then not read at all.
    KeyEntries entries = new KeyEntries();
    List<PersonReview> changed = new ArrayList<>();
    List<String> linkedKeys = new ArrayList<>();
    for (PersonReview review : waiting.values()) {
      Outcome outcome = evaluate(review.getPerson(), entries.get());
      if (outcome.linked() != null) {
        linkedKeys.add(review.getReviewKey());
        waitingCount--;
        link(review.getPerson(), outcome, out, now, ctx.timerService());
        PersonReview resolved = PersonReview.newBuilder(review).build();
        resolved.setStatus(ReviewStatus.RESOLVED);
        resolved.setExpiresAt(null);
        resolved.setPerson(outcome.linked());
        ctx.output(EnrichTags.REVIEW, resolved);
        metrics.review(agencyOf(review.getPerson()), ReviewStatus.RESOLVED, review.getReason());
      } else if (review.getReason() != outcome.reason()
          || !List.copyOf(review.getCandidatePersonalIds()).equals(outcome.candidates())) {
        PersonReview updated = PersonReview.newBuilder(review).build();
        updated.setReason(outcome.reason());
        updated.setCandidatePersonalIds(outcome.candidates());
        changed.add(updated);
      }
    }
    // Removed by key, not through the iterator: heap state then drops a key's emptied map itself.
    for (String reviewKey : linkedKeys) {
      waiting.remove(reviewKey);
    }
    for (PersonReview updated : changed) {
      waiting.put(updated.getReviewKey(), updated);
      ctx.output(EnrichTags.REVIEW, updated);
    }
    reevaluateLinks(entries, ctx, out, now);
  }

  // A demographic link holds only while its citizen is the one candidate: a citizen filed later
  // under the key (the population was incomplete) or a correction can make it ambiguous or wrong.
  private void reevaluateLinks(KeyEntries entries, Context ctx, Collector<Person> out, long now)
      throws Exception {
    List<DemographicLink> broken = new ArrayList<>();
    for (DemographicLink held : links.values()) {
      Outcome outcome = evaluate(held.getRecord(), entries.get());
      if (outcome.linked() == null
          || !outcome.linked().getPersonalId().equals(held.getPersonalId())) {
        broken.add(held);
      }
    }
    String key = ctx.getCurrentKey();
    for (DemographicLink held : broken) {
      Person record = held.getRecord();
      String reviewKey = SourceIdentity.of(record);
      links.remove(reviewKey);
      out.collect(
          Resolutions.withdrawal(
              Resolutions.linked(record, held.getPersonalId(), MatchMethod.DEMOGRAPHIC)));
      Outcome outcome = evaluate(record, entries.get());
      if (outcome.linked() != null) {
        link(record, outcome, out, now, ctx.timerService());
      } else {
        await(record, reviewKey, key, outcome, null, ctx, out, now);
      }
    }
  }

  /**
   * The record waits in review (again, if {@code held} is its earlier waiting version): kept in
   * state, announced on the review topic, and passed on unlinked for the per-source store.
   */
  private void await(
      Person record,
      String reviewKey,
      String key,
      Outcome outcome,
      PersonReview held,
      Context ctx,
      Collector<Person> out,
      long now)
      throws Exception {
    long since = held == null ? now : held.getWaitingSince().toEpochMilli();
    PersonReview review =
        review(
            reviewKey,
            key,
            ReviewStatus.WAITING,
            outcome.reason(),
            outcome.candidates(),
            since,
            now + reviewTtl.toMillis(),
            record);
    if (held == null) {
      waitingCount++;
    }
    waiting.put(reviewKey, review);
    expireAt(review.getExpiresAt().toEpochMilli(), ctx.timerService());
    ctx.output(EnrichTags.REVIEW, review);
    out.collect(record);
    metrics.review(agencyOf(record), ReviewStatus.WAITING, outcome.reason());
  }

  @Override
  public void processElement2(Person record, Context ctx, Collector<Person> out) throws Exception {
    String reviewKey = SourceIdentity.of(record);
    if (Retraction.is(record)) {
      retract(record, reviewKey, ctx, out);
      return;
    }
    String key = ctx.getCurrentKey();
    long now = ctx.timerService().currentProcessingTime();
    PersonReview held = waiting.get(reviewKey);
    if (held != null
        && held.getPerson().getLineage().getSourceVersion()
            >= record.getLineage().getSourceVersion()) {
      metrics.staleDropped(agencyOf(record));
      return;
    }
    DemographicLink linkedBefore = links.get(reviewKey);
    if (linkedBefore != null
        && linkedBefore.getRecord().getLineage().getSourceVersion()
            >= record.getLineage().getSourceVersion()) {
      metrics.staleDropped(agencyOf(record));
      return;
    }
    if (record.getDeleted()) {
      if (linkedBefore != null) {
        links.remove(reviewKey);
      }
      if (held != null) {
        waiting.remove(reviewKey);
        waitingCount--;
        // The row's version waited here, linked to no one: its delete (or the correction of the ID
        // it was known by) takes it out of review, and no citizen holds anything of it.
        supersede(held, record, ctx);
        if (record.getPersonalId() == null) {
          out.collect(record);
        }
        return;
      }
      if (record.getPersonalId() != null) {
        // The ID step sent it on linked to its own ID (the store, the merge) and here only to end
        // what the row left waiting or linked, which the merge's delete already covers.
        return;
      }
      deleted(record, linkedBefore, reviewKey, key, ctx, out, now);
      return;
    }
    if (!canEverLink(record, key)) {
      if (held != null) {
        waiting.remove(reviewKey);
        waitingCount--;
      }
      if (linkedBefore != null) {
        // The row is no longer linkable: take back what it contributed.
        links.remove(reviewKey);
        out.collect(
            Resolutions.withdrawal(
                Resolutions.linked(
                    linkedBefore.getRecord(),
                    linkedBefore.getPersonalId(),
                    MatchMethod.DEMOGRAPHIC)));
      }
      reject(record, reviewKey, key, ReviewReason.INCOMPLETE_MATCH_DATA, ctx, out, now);
      return;
    }
    Outcome outcome = evaluate(record, entries());
    DemographicLink heldLink = linkedBefore;
    if (heldLink != null) {
      links.remove(reviewKey);
      if (outcome.linked() == null
          || !outcome.linked().getPersonalId().equals(heldLink.getPersonalId())) {
        out.collect(
            Resolutions.withdrawal(
                Resolutions.linked(
                    heldLink.getRecord(), heldLink.getPersonalId(), MatchMethod.DEMOGRAPHIC)));
      }
    }
    if (outcome.linked() != null) {
      link(record, outcome, out, now, ctx.timerService());
      if (held != null) {
        waiting.remove(reviewKey);
        waitingCount--;
        PersonReview resolved =
            review(
                reviewKey,
                key,
                ReviewStatus.RESOLVED,
                held.getReason(),
                held.getCandidatePersonalIds(),
                held.getWaitingSince().toEpochMilli(),
                null,
                outcome.linked());
        ctx.output(EnrichTags.REVIEW, resolved);
      }
    } else {
      await(record, reviewKey, key, outcome, held, ctx, out, now);
    }
  }

  /**
   * The row's update is filed under other keys, where it waits, links or is rejected on its own:
   * what an older version left under this key is dropped, so that it can neither expire, link nor
   * go back to review here under the row's review key, and a demographic link it made is withdrawn
   * from the merge. When the update carries another ID, a citizen here with the version's ID is one
   * it may have been linked to late (a claim answered): the merge takes that contribution back.
   * When the new ID changes the record's person key, the per-source store gets a delete of the old
   * key (the update is stored under the new one).
   *
   * <p>A dropped waiting version is marked SUPERSEDED on the review topic only when the update
   * keeps this match key: any entry the update makes is then made here, after this one (or, if the
   * update came first, it replaced the version and nothing is dropped). Under another key the
   * update's entry could be written before this one and be hidden by it, so nothing is written.
   */
  private void retract(Person retraction, String reviewKey, Context ctx, Collector<Person> out)
      throws Exception {
    long version = retraction.getLineage().getSourceVersion();
    PersonReview held = waiting.get(reviewKey);
    if (held != null && held.getPerson().getLineage().getSourceVersion() < version) {
      waiting.remove(reviewKey);
      waitingCount--;
      metrics.staleDropped(agencyOf(retraction));
      if (Retraction.matchKeyKept(retraction)) {
        supersede(held, retraction, ctx);
      }
    }
    DemographicLink link = links.get(reviewKey);
    if (link != null && link.getRecord().getLineage().getSourceVersion() < version) {
      links.remove(reviewKey);
      out.collect(
          Resolutions.withdrawal(
              Resolutions.linked(link.getRecord(), link.getPersonalId(), MatchMethod.DEMOGRAPHIC)));
      metrics.staleDropped(agencyOf(retraction));
    }
    String linkedById = Retraction.anyIdChanged(retraction) ? citizenById(retraction) : null;
    if (linkedById != null) {
      // Behind the late link, on the same output.
      out.collect(Resolutions.retractionFor(retraction, linkedById));
    }
    // Every retraction ends here, once: the per-source store's row under the old key ends with it.
    Person storeDelete = Retraction.storeDelete(retraction);
    if (storeDelete != null) {
      out.collect(storeDelete);
    }
  }

  /** The waiting entry {@code held} leaves review: {@code by}, a newer change, superseded it. */
  private void supersede(PersonReview held, Person by, Context ctx) {
    PersonReview superseded = PersonReview.newBuilder(held).build();
    superseded.setStatus(ReviewStatus.SUPERSEDED);
    superseded.setExpiresAt(null);
    ctx.output(EnrichTags.REVIEW, superseded);
    metrics.review(agencyOf(by), ReviewStatus.SUPERSEDED, held.getReason());
  }

  // The citizen under this key that the record's own personal ID, else its former ID, names, as
  // evaluate() would link it; null when none does.
  private String citizenById(Person record) throws Exception {
    String personalId = record.getPersonalId();
    if (personalId != null) {
      return Retraction.personalIdChanged(record) && citizens.get(personalId) != null
          ? personalId
          : null;
    }
    String formerId = record.getFormerId();
    if (formerId == null) {
      return null;
    }
    for (CitizenIndexEntry e : citizens.values()) {
      if (formerId.equals(e.getCitizen().getFormerId())) {
        return e.getCitizen().getPersonalId();
      }
    }
    return null;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Person> out) throws Exception {
    // A timer that outlived what it was set for (the entry linked, or was replaced) finds nothing
    // due and changes nothing.
    boolean legacy = legacyTimer.value() != null;
    List<String> expiredReviews = new ArrayList<>();
    for (PersonReview review : waiting.values()) {
      if (review.getExpiresAt() != null && review.getExpiresAt().toEpochMilli() <= timestamp) {
        expiredReviews.add(review.getReviewKey());
        waitingCount--;
        PersonReview expired = PersonReview.newBuilder(review).build();
        expired.setStatus(ReviewStatus.EXPIRED);
        ctx.output(EnrichTags.REVIEW, expired);
        metrics.review(agencyOf(review.getPerson()), ReviewStatus.EXPIRED, review.getReason());
      }
    }
    for (String reviewKey : expiredReviews) {
      waiting.remove(reviewKey);
    }
    List<String> expiredLinks = new ArrayList<>();
    for (Map.Entry<String, DemographicLink> link : links.entries()) {
      if (link.getValue().getExpiresAt().toEpochMilli() <= timestamp) {
        expiredLinks.add(link.getKey());
      }
    }
    for (String reviewKey : expiredLinks) {
      links.remove(reviewKey);
    }
    List<String> expiredClaims = new ArrayList<>();
    for (Map.Entry<String, Long> claim : claimExpiry.entries()) {
      if (claim.getValue() <= timestamp) {
        expiredClaims.add(claim.getKey());
      }
    }
    for (String personalId : expiredClaims) {
      claimExpiry.remove(personalId);
      citizens.remove(personalId);
    }
    if (legacy) {
      // Restored from the one-timer-per-key layout: the entries it held have no timers of their
      // own, so the chain moves on to the earliest of them until none is left.
      Long next = earliest();
      legacyTimer.clear();
      if (next != null) {
        legacyTimer.update(next);
        expireAt(next, ctx.timerService());
      }
    }
  }

  // Every entry that expires registers a timer at its expiry, never moved or deleted: finding the
  // key's one timer would cost a state read that misses for nearly every new record.
  private static void expireAt(long at, TimerService timers) {
    timers.registerProcessingTimeTimer(at);
  }

  /** How a record stands against the citizens under its key. */
  private record Outcome(Person linked, ReviewReason reason, List<String> candidates) {}

  private static Outcome evaluate(Person record, List<CitizenIndexEntry> entries) {
    List<Citizen> filed = new ArrayList<>();
    for (CitizenIndexEntry e : entries) {
      if (e.getKind() == IndexEntryKind.FILE) {
        filed.add(e.getCitizen());
      }
    }
    List<String> candidates =
        filed.stream().map(Citizen::getPersonalId).sorted().distinct().toList();
    String personalId = record.getPersonalId();
    if (personalId != null) {
      for (CitizenIndexEntry e : entries) {
        if (personalId.equals(e.getCitizen().getPersonalId())) {
          return linked(record, personalId, MatchMethod.PERSONAL_ID);
        }
      }
      return new Outcome(null, ReviewReason.PERSONAL_ID_UNKNOWN, candidates);
    }
    String formerId = record.getFormerId();
    if (formerId != null) {
      for (CitizenIndexEntry e : entries) {
        if (formerId.equals(e.getCitizen().getFormerId())) {
          return linked(record, e.getCitizen().getPersonalId(), MatchMethod.FORMER_ID);
        }
      }
    }
    if (candidates.isEmpty()) {
      return new Outcome(null, ReviewReason.NO_CANDIDATE, candidates);
    }
    if (candidates.size() > 1) {
      return new Outcome(null, ReviewReason.AMBIGUOUS, candidates);
    }
    Citizen only = filed.get(0);
    if (formerId != null && only.getFormerId() != null) {
      return new Outcome(null, ReviewReason.FORMER_ID_CONFLICT, candidates);
    }
    return linked(record, only.getPersonalId(), MatchMethod.DEMOGRAPHIC);
  }

  private static Outcome linked(Person record, String personalId, MatchMethod method) {
    return new Outcome(Resolutions.linked(record, personalId, method), null, List.of());
  }

  private void link(
      Person record, Outcome outcome, Collector<Person> out, long now, TimerService timers)
      throws Exception {
    Person linked = outcome.linked();
    out.collect(linked);
    metrics.matched(agencyOf(linked), linked.getMatchMethod());
    if (linked.getMatchMethod() == MatchMethod.DEMOGRAPHIC) {
      links.put(
          SourceIdentity.of(record),
          DemographicLink.newBuilder()
              .setRecord(record)
              .setPersonalId(linked.getPersonalId())
              .setExpiresAt(Instant.ofEpochMilli(now + reviewTtl.toMillis()))
              .build());
      expireAt(now + reviewTtl.toMillis(), timers);
    }
  }

  /**
   * A delete reaches the merge linked to the citizen its row was linked to, or would link to now
   * (its before image carries the row's name, birth date and IDs): it takes back that contribution.
   * One that links to no one is rejected, and the per-source store still learns of it.
   */
  private void deleted(
      Person record,
      DemographicLink linkedBefore,
      String reviewKey,
      String key,
      Context ctx,
      Collector<Person> out,
      long now)
      throws Exception {
    if (linkedBefore != null) {
      out.collect(
          Resolutions.linked(record, linkedBefore.getPersonalId(), MatchMethod.DEMOGRAPHIC));
      return;
    }
    Outcome outcome = canEverLink(record, key) ? evaluate(record, entries()) : null;
    if (outcome != null && outcome.linked() != null) {
      out.collect(outcome.linked());
      return;
    }
    reject(record, reviewKey, key, ReviewReason.UNRESOLVED_DELETE, ctx, out, now);
  }

  private void reject(
      Person record,
      String reviewKey,
      String key,
      ReviewReason reason,
      Context ctx,
      Collector<Person> out,
      long now) {
    ctx.output(
        EnrichTags.REVIEW,
        review(reviewKey, key, ReviewStatus.REJECTED, reason, List.of(), now, null, record));
    out.collect(record);
    metrics.review(agencyOf(record), ReviewStatus.REJECTED, reason);
  }

  // Without an ID and without complete match data, no population change can ever link the record.
  private static boolean canEverLink(Person record, String key) {
    return !key.startsWith(MatchKeys.INCOMPLETE_PREFIX)
        || record.getPersonalId() != null
        || record.getFormerId() != null;
  }

  private List<CitizenIndexEntry> entries() throws Exception {
    List<CitizenIndexEntry> entries = new ArrayList<>();
    citizens.values().forEach(entries::add);
    return entries;
  }

  /** The current key's citizen entries, read on first use and at most once per change. */
  private final class KeyEntries {
    private List<CitizenIndexEntry> read;

    List<CitizenIndexEntry> get() throws Exception {
      if (read == null) {
        read = entries();
      }
      return read;
    }
  }

  private Long earliest() throws Exception {
    Long min = null;
    for (PersonReview review : waiting.values()) {
      if (review.getExpiresAt() != null) {
        long at = review.getExpiresAt().toEpochMilli();
        min = min == null ? at : Math.min(min, at);
      }
    }
    for (DemographicLink link : links.values()) {
      long at = link.getExpiresAt().toEpochMilli();
      min = min == null ? at : Math.min(min, at);
    }
    for (Long at : claimExpiry.values()) {
      min = min == null ? at : Math.min(min, at);
    }
    return min;
  }

  private static PersonReview review(
      String reviewKey,
      String key,
      ReviewStatus status,
      ReviewReason reason,
      List<String> candidates,
      long since,
      Long expiresAt,
      Person person) {
    return PersonReview.newBuilder()
        .setReviewKey(reviewKey)
        .setStatus(status)
        .setReason(reason)
        .setCandidatePersonalIds(candidates)
        .setMatchKey(key.startsWith(MatchKeys.INCOMPLETE_PREFIX) ? null : key)
        .setWaitingSince(Instant.ofEpochMilli(since))
        .setExpiresAt(expiresAt == null ? null : Instant.ofEpochMilli(expiresAt))
        .setPerson(person)
        .build();
  }

  private static String agencyOf(Person person) {
    return Objects.requireNonNull(person.getLineage()).getSourceAgency();
  }

  /** Records waiting in this subtask, as the recordsWaiting gauge reports. */
  long waitingCount() {
    return waitingCount;
  }

  /** Matches so far by agency and method, for tests. */
  long matched(String agency, MatchMethod method) {
    return metrics.count(agency, "method", method.name(), "matched");
  }

  /** Stale versions dropped so far for {@code agency}, for tests. */
  long staleDropped(String agency) {
    return metrics.staleCount(agency);
  }
}
