/**
 * Dedup stage: drops changes that a source delivers again.
 *
 * <p>{@link vn.ndc.sync.dedup.DropRedeliveries} runs first on every stream that enters the dedup
 * and enrich stages, keyed by {@link vn.ndc.sync.dedup.SourceIdentity} ({@code agency|table|source
 * primary key}):
 *
 * <pre>{@code
 * persons.keyBy(DropRedeliveries.personKey())
 *     .process(DropRedeliveries.persons(ttl)).returns(new CompiledAvroTypeInfo<>(Person.class))
 *     .name("dedup-person").uid("dedup-person");
 * citizens.keyBy(DropRedeliveries.citizenKey())
 *     .process(DropRedeliveries.citizens(ttl)).returns(new CompiledAvroTypeInfo<>(Citizen.class))
 *     .name("dedup-population").uid("dedup-population");
 * }</pre>
 *
 * <p>The source primary key comes from {@code Person.sourceKey}; until standardize fills it, the
 * person key (personal ID or {@code cmnd:<former ID>}) stands in for it. The TTL should exceed how
 * far back a raw topic can be replayed (its retention); the NDC store's ordered upsert covers
 * replays older than that. Metric: {@code agency.<agency>.duplicatesDropped}.
 */
package vn.ndc.sync.dedup;
