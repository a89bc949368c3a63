/**
 * Enrich stage: attaches the 12-digit personal ID from the population data to agency records, sends
 * what cannot be linked to review, and merges one NDC person per citizen.
 *
 * <h2>Chain (after dedup; operator uids in quotes)</h2>
 *
 * <ol>
 *   <li>"resolve-personal-id" {@link vn.ndc.sync.enrich.ResolveByPersonalId}: deduplicated citizens
 *       keyed by {@code citizenKey()} connected with deduplicated persons keyed by {@code
 *       recordKey()} (the personal ID). Main output: linked records (PERSONAL_ID), and retractions
 *       for the merge (below). Side outputs: {@code UNRESOLVED}, {@code FORMER_ID_INDEX}, {@code
 *       DEMOGRAPHIC_INDEX}.
 *   <li>"resolve-former-id" {@link vn.ndc.sync.enrich.ResolveByFormerId}: step 1's {@code
 *       FORMER_ID_INDEX} keyed by {@code entryKey()} connected with those of step 1's {@code
 *       UNRESOLVED} that carry a former ID ("unresolved-with-former-id"), keyed by {@code
 *       recordKey()} (the former ID); the others ("unresolved-without-former-id") go straight to
 *       step 3. Main output: linked records (FORMER_ID), and retractions for the merge. Side
 *       outputs: {@code UNRESOLVED}, {@code DEMOGRAPHIC_INDEX} (claims).
 *   <li>"resolve-demographic" {@link vn.ndc.sync.enrich.ResolveByDemographics}: the union of the
 *       {@code DEMOGRAPHIC_INDEX} of steps 1 and 2 keyed by {@code entryKey()} connected with step
 *       2's {@code UNRESOLVED} and step 1's records without a former ID, keyed by {@code
 *       recordKey()} ({@link vn.ndc.sync.enrich.MatchKeys#demographicStepKey}). Main output: linked
 *       records (DEMOGRAPHIC, or late PERSONAL_ID / FORMER_ID), withdrawn links, retractions for
 *       the merge, and the records it sends to review, unlinked (matchMethod null; the merge
 *       filters them out). Side output {@code REVIEW} → topic {@code review.person-unmatched}, key
 *       {@code PersonReview.reviewKey}, compacted ("review-topic-person").
 *   <li>"merge-person-sources" {@link vn.ndc.sync.enrich.MergePersonSources}: the union of the
 *       three main outputs, keyed by {@code personalIdKey()}. The demographic step's output first
 *       loses its unlinked records ("linked-by-demographics", chained to that step). If the
 *       population is to contribute its own fields, citizens join the union through {@link
 *       vn.ndc.sync.enrich.PopulationPerson#of}. Its output goes, keyed by personal ID, to the
 *       {@code ndc.person} table and topic; the three steps' main outputs (linked and unlinked
 *       records) go to {@code ndc.person_source}, each first losing its retractions
 *       ("source-records-personal-id", "-former-id", "-demographic", chained to its step).
 * </ol>
 *
 * <h2>Retractions</h2>
 *
 * An update that moves a record to another personal ID, former ID or demographic match key is
 * preceded by a {@link vn.ndc.sync.dedup.Retraction} of its before image. Carrying that image, it
 * is keyed as the old version was at every step and so follows it on the same channels. Dedup
 * passes it without recording its version; steps 1 and 2, when the ID changed and the old ID's
 * citizen is known, send it to the merge keyed by that citizen, on the main output that carried the
 * old version's link; step 3 drops the old version's waiting entry or withdraws its demographic
 * link, and sends it to the merge for a citizen under the key that the old ID names (a link made
 * late, by a claim). The merge takes back the agency's contribution if it is that row's, older.
 * Step 3, where every retraction ends, also marks a dropped waiting entry SUPERSEDED on the review
 * topic when the update keeps the match key, and sends the per-source store a delete of the old
 * person key when the new ID changed it. At an agency keyed by the ID itself, standardize sends a
 * delete of the old record instead ({@code Retraction.identityEnd}).
 *
 * <p>A delete whose version waits at step 3 reaches it whatever its IDs (step 1 sends a delete of
 * an unknown citizen both to the merge and on), and marks that entry SUPERSEDED: the row's version
 * leaves review, and no citizen holds anything of it.
 *
 * <p>{@link vn.ndc.sync.enrich.EnrichTopology#apply} composes exactly this, with the uids above.
 * All state is Avro or basic types and every output has an Avro type, so the job runs with {@code
 * pipeline.generic-types: false}. Avro records are serialized by {@link
 * vn.ndc.sync.typeutils.CompiledAvroSerializer} (same bytes as Flink's Avro serializer, planned
 * once per schema).
 *
 * <h2>Waiting, claims and TTLs</h2>
 *
 * Records that no citizen matches wait at step 3, in state, until the population files a matching
 * citizen (re-emitted linked, review RESOLVED) or the review TTL passes (review EXPIRED). A record
 * whose personal or former ID is not yet known also leaves a claim at step 1 or 2 (same TTL): when
 * that citizen arrives, the claim reaches step 3 under the record's key, so the record links even
 * if its name or address differs from the population's — the usual case at start-up, when agency
 * snapshots overtake the population snapshot. Population state (the citizens filed at each step)
 * has no TTL: it is the reference, bounded by the population, and deletes withdraw it.
 *
 * <h2>Metrics</h2>
 *
 * {@code agency.<a>.method.<m>.matched} at each step (counters), {@code
 * agency.<a>.reason.<r>.waiting | resolved | expired | rejected} and the gauge {@code
 * recordsWaiting} at step 3, {@code staleContributionsDropped} at the merge.
 */
package vn.ndc.sync.enrich;
