package vn.ndc.sync.dedup;

import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;

/**
 * The retraction of a superseded version: what a row held before an update (its before image,
 * standardized), sent ahead of the update when the update changes the fields that decide where
 * enrichment files the record (personal ID, former ID, demographic match key).
 *
 * <p>It carries the before image's content, so every keyed step routes it exactly as it routed that
 * version, and behind it on every channel; and the update's lineage, so it is newer than the
 * version it retracts. The demographic step drops what that version left waiting or linked there,
 * which the update, filed under other keys, could not reach. It is flagged deleted without a match
 * method and with a non-delete operation; a withdrawal, the other non-delete flagged deleted,
 * always has one. It never leaves enrichment: no store or topic receives it.
 */
public final class Retraction {

  private Retraction() {}

  /** The retraction of {@code before} by the update whose lineage is {@code update}. */
  public static Person of(Person before, Lineage update) {
    Person retraction = Person.newBuilder(before).build();
    retraction.setLineage(Lineage.newBuilder(update).build());
    retraction.setDeleted(true);
    retraction.setMatchMethod(null);
    return retraction;
  }

  /** True for a {@link #of retraction}. */
  public static boolean is(Person person) {
    return person.getDeleted()
        && person.getMatchMethod() == null
        && !"d".equals(person.getLineage().getOperation());
  }
}
