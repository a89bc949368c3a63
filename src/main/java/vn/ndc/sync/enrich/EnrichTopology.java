package vn.ndc.sync.enrich;

import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.dedup.DropRedeliveries;
import vn.ndc.sync.dedup.Retraction;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/** Composes dedup, the three resolution steps and the merge, with their keys and uids. */
public final class EnrichTopology {

  private EnrichTopology() {}

  /**
   * Settings of the stage.
   *
   * @param redeliveryTtl how long a source row's last version is remembered (dedup)
   * @param reviewTtl how long an unlinked record waits, and a claim is kept
   * @param sourcePriority agencies from most to least trusted, for survivorship
   * @param deleteRetention how long the merge remembers an agency's delete
   * @param populationContributes whether citizens contribute their fields to the merged person
   */
  public record Settings(
      Duration redeliveryTtl,
      Duration reviewTtl,
      List<String> sourcePriority,
      Duration deleteRetention,
      boolean populationContributes) {}

  /**
   * What the stage produces.
   *
   * @param merged one NDC person per citizen (keyed by personal ID), deletes as tombstones
   * @param reviews records that could not be linked to exactly one citizen, and what became of them
   * @param sourceRecords every agency record as the stage last decided on it: linked (personal ID
   *     attached, {@code matchMethod} set), unlinked ({@code matchMethod} null: in review) or a
   *     {@link #isWithdrawn withdrawn} link, in order per source row
   */
  public record Result(
      DataStream<Person> merged,
      DataStream<PersonReview> reviews,
      DataStream<Person> sourceRecords) {}

  /** True for a source record whose earlier link the stage took back (it is unlinked again). */
  public static boolean isWithdrawn(Person sourceRecord) {
    return Resolutions.isWithdrawal(sourceRecord);
  }

  /** Applies the stage to standardized persons and the population stream. */
  public static Result apply(
      DataStream<Citizen> population, DataStream<Person> persons, Settings s) {
    CompiledAvroTypeInfo<Person> personType = new CompiledAvroTypeInfo<>(Person.class);
    DataStream<Citizen> citizens =
        population
            .keyBy(DropRedeliveries.citizenKey())
            .process(DropRedeliveries.citizens(s.redeliveryTtl()))
            .returns(new CompiledAvroTypeInfo<>(Citizen.class))
            .name("dedup-population")
            .uid("dedup-population");
    DataStream<Person> records =
        persons
            .keyBy(DropRedeliveries.personKey())
            .process(DropRedeliveries.persons(s.redeliveryTtl()))
            .returns(personType)
            .name("dedup-person")
            .uid("dedup-person");

    SingleOutputStreamOperator<Person> byPersonalId =
        citizens
            .keyBy(ResolveByPersonalId.citizenKey())
            .connect(records.keyBy(ResolveByPersonalId.recordKey()))
            .process(new ResolveByPersonalId(s.reviewTtl()))
            .returns(personType)
            .name("resolve-personal-id")
            .uid("resolve-personal-id");
    // Only a record with a former ID can link by it; the others skip that step (and its shuffle
    // and serialization) and go straight to the demographic step.
    DataStream<Person> unresolved = byPersonalId.getSideOutput(EnrichTags.UNRESOLVED);
    DataStream<Person> withFormerId =
        unresolved
            .filter(r -> r.getFormerId() != null)
            .returns(personType)
            .name("unresolved-with-former-id")
            .uid("unresolved-with-former-id");
    DataStream<Person> withoutFormerId =
        unresolved
            .filter(r -> r.getFormerId() == null)
            .returns(personType)
            .name("unresolved-without-former-id")
            .uid("unresolved-without-former-id");
    SingleOutputStreamOperator<Person> byFormerId =
        byPersonalId
            .getSideOutput(EnrichTags.FORMER_ID_INDEX)
            .keyBy(ResolveByFormerId.entryKey())
            .connect(withFormerId.keyBy(ResolveByFormerId.recordKey()))
            .process(new ResolveByFormerId(s.reviewTtl()))
            .returns(personType)
            .name("resolve-former-id")
            .uid("resolve-former-id");
    SingleOutputStreamOperator<Person> byDemographics =
        byPersonalId
            .getSideOutput(EnrichTags.DEMOGRAPHIC_INDEX)
            .union(byFormerId.getSideOutput(EnrichTags.DEMOGRAPHIC_INDEX))
            .keyBy(ResolveByDemographics.entryKey())
            .connect(
                byFormerId
                    .getSideOutput(EnrichTags.UNRESOLVED)
                    .union(withoutFormerId)
                    .keyBy(ResolveByDemographics.recordKey()))
            .process(new ResolveByDemographics(s.reviewTtl()))
            .returns(personType)
            .name("resolve-demographic")
            .uid("resolve-demographic");

    // The steps' main outputs also carry retractions, for the merge only (behind the links they
    // take back). Each step's output is filtered where it is made, so the filter stays chained to
    // it: behind the union it would be a task of its own that deserializes every record again.
    DataStream<Person> sourceRecords =
        withoutRetractions(byPersonalId, "personal-id")
            .union(
                withoutRetractions(byFormerId, "former-id"),
                withoutRetractions(byDemographics, "demographic"));
    // Unlinked records (matchMethod null) are for the per-source store only. Only the demographic
    // step emits them.
    DataStream<Person> linked =
        byPersonalId.union(
            byFormerId,
            byDemographics
                .filter(p -> p.getMatchMethod() != null || Retraction.is(p))
                .returns(personType)
                .name("linked-by-demographics")
                .uid("linked-by-demographics"));
    if (s.populationContributes()) {
      linked =
          linked.union(
              citizens
                  .map(PopulationPerson::of)
                  .returns(personType)
                  .name("population-as-person")
                  .uid("population-as-person"));
    }
    DataStream<Person> merged =
        linked
            .keyBy(MergePersonSources.personalIdKey())
            .process(new MergePersonSources(s.sourcePriority(), s.deleteRetention()))
            .returns(personType)
            .name("merge-person-sources")
            .uid("merge-person-sources");
    return new Result(merged, byDemographics.getSideOutput(EnrichTags.REVIEW), sourceRecords);
  }

  private static DataStream<Person> withoutRetractions(DataStream<Person> step, String name) {
    return step.filter(p -> !Retraction.is(p))
        .returns(new CompiledAvroTypeInfo<>(Person.class))
        .name("source-records-" + name)
        .uid("source-records-" + name);
  }
}
