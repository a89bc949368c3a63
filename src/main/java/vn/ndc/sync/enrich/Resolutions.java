package vn.ndc.sync.enrich;

import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.IndexEntryKind;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.dedup.SourceIdentity;

/** What the resolution steps share. */
final class Resolutions {

  private Resolutions() {}

  /**
   * The record linked to citizen {@code personalId}, which the merge keys it by. The person key
   * stays the agency record's own (standardize made it the reported personal ID when there was one,
   * so the reported ID is still known): the per-source store keeps one row per agency record.
   */
  static Person linked(Person record, String personalId, MatchMethod method) {
    Person linked = Person.newBuilder(record).build();
    linked.setPersonalId(personalId);
    linked.setMatchMethod(method);
    return linked;
  }

  /**
   * Withdraws a link made earlier: the linked record flagged deleted with its own lineage. A real
   * delete has operation d and a newer version; a withdrawal keeps the version of the contribution
   * it takes back, so the merge can tell the two apart.
   */
  static Person withdrawal(Person linked) {
    Person withdrawal = Person.newBuilder(linked).build();
    withdrawal.setDeleted(true);
    return withdrawal;
  }

  /** True for a {@link #withdrawal} (a linked record: a retraction has no match method). */
  static boolean isWithdrawal(Person person) {
    return person.getDeleted()
        && person.getMatchMethod() != null
        && !"d".equals(person.getLineage().getOperation());
  }

  /** {@code retraction} for the merge, keyed by the citizen its version was linked to. */
  static Person retractionFor(Person retraction, String personalId) {
    Person toMerge = Person.newBuilder(retraction).build();
    toMerge.setPersonalId(personalId);
    return toMerge;
  }

  static CitizenIndexEntry entry(String key, IndexEntryKind kind, Citizen citizen) {
    return CitizenIndexEntry.newBuilder()
        .setLookupKey(key)
        .setKind(kind)
        .setCitizen(citizen)
        .build();
  }

  /** Key for a record without the step's ID: spread by source row, never matched. */
  static String noIdKey(Person record) {
    return "-" + SourceIdentity.of(record);
  }
}
