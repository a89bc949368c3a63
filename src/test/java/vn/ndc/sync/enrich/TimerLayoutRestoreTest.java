package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.citizen;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.ReviewReason;
import vn.ndc.sync.avro.ReviewStatus;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.dedup.SourceIdentity;

/**
 * Checkpoints of the layout before step 24 (BENCHMARKS.md) restore: claims with one timer per key,
 * waiting records with one timer per match key at the earliest expiry. Their entries still expire
 * when they were due, and the state they leave behind is gone afterwards.
 */
class TimerLayoutRestoreTest {

  private static final Duration TTL = Duration.ofDays(1);
  private static final String ID = ResolveByPersonalIdTest.ID;
  private static final String KEY = ResolveByPersonalIdTest.KEY;

  /** Writes claims as the timer-based layout did: the map, the key's timer state and a timer. */
  private static final class LegacyClaims
      extends KeyedCoProcessFunction<String, Citizen, Person, Person> {
    private transient MapState<String, Long> claims;
    private transient ValueState<Long> timer;

    @Override
    public void open(OpenContext openContext) {
      claims =
          getRuntimeContext()
              .getMapState(new MapStateDescriptor<>("claims", Types.STRING, Types.LONG));
      timer = getRuntimeContext().getState(new ValueStateDescriptor<>("claim-timer", Types.LONG));
    }

    @Override
    public void processElement1(Citizen value, Context ctx, Collector<Person> out) {}

    @Override
    public void processElement2(Person record, Context ctx, Collector<Person> out)
        throws Exception {
      long expiry = ctx.timerService().currentProcessingTime() + TTL.toMillis();
      claims.put(MatchKeys.demographicStepKey(record), expiry);
      if (timer.value() == null) {
        timer.update(expiry);
        ctx.timerService().registerProcessingTimeTimer(expiry);
      }
    }
  }

  /** Writes waiting records as the one-timer-per-key layout did. */
  private static final class LegacyWaiting
      extends KeyedCoProcessFunction<String, CitizenIndexEntry, Person, Person> {
    private transient MapState<String, PersonReview> waiting;
    private transient ValueState<Long> timer;

    @Override
    public void open(OpenContext openContext) {
      waiting = AvroState.map(getRuntimeContext(), "waiting", PersonReview.class);
      timer = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
    }

    @Override
    public void processElement1(CitizenIndexEntry value, Context ctx, Collector<Person> out) {}

    @Override
    public void processElement2(Person record, Context ctx, Collector<Person> out)
        throws Exception {
      long now = ctx.timerService().currentProcessingTime();
      waiting.put(
          SourceIdentity.of(record),
          PersonReview.newBuilder()
              .setReviewKey(SourceIdentity.of(record))
              .setStatus(ReviewStatus.WAITING)
              .setReason(ReviewReason.NO_CANDIDATE)
              .setCandidatePersonalIds(List.of())
              .setMatchKey(ctx.getCurrentKey())
              .setWaitingSince(Instant.ofEpochMilli(now))
              .setExpiresAt(Instant.ofEpochMilli(now + TTL.toMillis()))
              .setPerson(record)
              .build());
      if (timer.value() == null) {
        timer.update(now + TTL.toMillis());
        ctx.timerService().registerProcessingTimeTimer(now + TTL.toMillis());
      }
    }
  }

  private static Person record(String sourceKey) {
    return ResolveByPersonalIdTest.record(sourceKey);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, Citizen, Person, Person> byId(
      KeyedCoProcessFunction<String, Citizen, Person, Person> function) throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(
        new KeyedCoProcessOperator<>(function),
        ResolveByPersonalId.citizenKey(),
        ResolveByPersonalId.recordKey(),
        Types.STRING);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, CitizenIndexEntry, Person, Person>
      byDemographics(KeyedCoProcessFunction<String, CitizenIndexEntry, Person, Person> function)
          throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(
        new KeyedCoProcessOperator<>(function),
        ResolveByDemographics.entryKey(),
        ResolveByDemographics.recordKey(),
        Types.STRING);
  }

  private static OperatorSubtaskState legacyClaim() throws Exception {
    try (var h = byId(new LegacyClaims())) {
      h.open();
      h.setStateTtlProcessingTime(0);
      h.processElement2(record("7"), 0);
      return h.snapshot(1, 1);
    }
  }

  @Test
  void aRestoredClaimIsStillAnsweredByItsCitizen() throws Exception {
    try (var h = byId(new ResolveByPersonalId(TTL))) {
      h.initializeState(legacyClaim());
      h.open();
      h.setProcessingTime(TTL.toMillis() - 1);
      h.setStateTtlProcessingTime(TTL.toMillis() - 1);
      h.processElement1(
          citizen(ID)
              .name("Nguyễn Văn Bình")
              .born("1990-03-15")
              .sex(Sex.MALE)
              .livesIn("02")
              .build(),
          TTL.toMillis() - 1);

      assertThat(Outputs.side(h, EnrichTags.DEMOGRAPHIC_INDEX))
          .extracting(e -> e.getKind() + " " + e.getLookupKey())
          .contains("CLAIM " + KEY);
    }
  }

  @Test
  void aRestoredClaimExpiresWithItsTimerAndLeavesNoState() throws Exception {
    try (var h = byId(new ResolveByPersonalId(TTL))) {
      h.initializeState(legacyClaim());
      h.open();
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      h.setStateTtlProcessingTime(TTL.toMillis());
      h.setProcessingTime(TTL.toMillis());

      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void restoredWaitingRecordsExpireOneAfterAnotherAndLeaveNoState() throws Exception {
    Person first = Person.newBuilder(record("1")).setPersonalId(null).build();
    Person second = Person.newBuilder(record("2")).setPersonalId(null).build();
    OperatorSubtaskState snapshot;
    try (var h = byDemographics(new LegacyWaiting())) {
      h.open();
      h.processElement2(first, 0);
      h.setProcessingTime(1_000);
      h.processElement2(second, 1_000);
      snapshot = h.snapshot(1, 1);
    }
    try (var h = byDemographics(new ResolveByDemographics(TTL))) {
      h.initializeState(snapshot);
      h.open();
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      h.setProcessingTime(TTL.toMillis());
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(r -> r.getStatus() + " " + r.getReviewKey())
          .containsExactly("EXPIRED civil-registry|person|1");
      // The old layout had one timer per key; the next one is set at the second's expiry.
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

      h.setProcessingTime(TTL.toMillis() + 1_000);
      assertThat(Outputs.side(h, EnrichTags.REVIEW))
          .extracting(r -> r.getStatus() + " " + r.getReviewKey())
          .containsExactly("EXPIRED civil-registry|person|2");
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }
}
