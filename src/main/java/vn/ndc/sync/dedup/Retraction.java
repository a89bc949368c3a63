package vn.ndc.sync.dedup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;

/**
 * The retraction of a superseded version: what a row held before an update (its before image,
 * standardized), sent ahead of the update when the update changes the fields that decide where
 * enrichment files the record (personal ID, former ID, demographic match key). The steps that link
 * by ID send it, when the ID changed and their citizen is known, to the merge, which takes back the
 * version's contribution to that citizen.
 *
 * <p>It carries the before image's content, so every keyed step routes it exactly as it routed that
 * version, and behind it on every channel; and the update's lineage, so it is newer than the
 * version it retracts. The demographic step drops what that version left waiting or linked there,
 * which the update, filed under other keys, could not reach. It is flagged deleted without a match
 * method and with a non-delete operation; a withdrawal, the other non-delete flagged deleted,
 * always has one. It never leaves enrichment: no store or topic receives it. When the corrected ID
 * also changes the record's key in the store, the demographic step, where every retraction ends,
 * sends the store an ordinary delete of that key in its place ({@link #storeDelete}).
 */
public final class Retraction {

  // Which IDs the update changed, in sources, which a record from an agency leaves empty: the
  // steps that link by ID take back their link only then, since an update with the same ID links
  // where its version did and replaces it there.
  private static final String PERSONAL_ID_CHANGED = "retraction:personal-id-changed";
  private static final String FORMER_ID_CHANGED = "retraction:former-id-changed";
  // The update keeps the version's demographic match key, so whatever review entry the update
  // makes is made under the same key, where the version order settles which entry is the last.
  private static final String MATCH_KEY_KEPT = "retraction:match-key-kept";
  // The corrected ID changes the record's key in the NDC store (personKey), though not the row's
  // identity (its sourceKey): the store row under the old key must end.
  private static final String PERSON_KEY_CHANGED = "retraction:person-key-changed";

  private Retraction() {}

  /**
   * The retraction of {@code before} by {@code update}; {@code matchKeyKept} when both have the
   * same demographic match key (enrichment's {@code MatchKeys.demographicStepKey}).
   */
  public static Person of(Person before, Person update, boolean matchKeyKept) {
    Person retraction = Person.newBuilder(before).build();
    retraction.setLineage(Lineage.newBuilder(update.getLineage()).build());
    retraction.setDeleted(true);
    retraction.setMatchMethod(null);
    List<String> changed = new ArrayList<>();
    if (!Objects.equals(before.getPersonalId(), update.getPersonalId())) {
      changed.add(PERSONAL_ID_CHANGED);
    }
    if (!Objects.equals(before.getFormerId(), update.getFormerId())) {
      changed.add(FORMER_ID_CHANGED);
    }
    if (matchKeyKept) {
      changed.add(MATCH_KEY_KEPT);
    }
    if (!before.getPersonKey().equals(update.getPersonKey())) {
      changed.add(PERSON_KEY_CHANGED);
    }
    retraction.setSources(changed);
    return retraction;
  }

  /** True when the update carries another personal ID than the retracted version. */
  public static boolean personalIdChanged(Person retraction) {
    return retraction.getSources().contains(PERSONAL_ID_CHANGED);
  }

  /** True when the update carries another personal or former ID than the retracted version. */
  public static boolean anyIdChanged(Person retraction) {
    return personalIdChanged(retraction) || retraction.getSources().contains(FORMER_ID_CHANGED);
  }

  /** True when the update has the retracted version's demographic match key. */
  public static boolean matchKeyKept(Person retraction) {
    return retraction.getSources().contains(MATCH_KEY_KEPT);
  }

  /**
   * The end, in the per-source store, of the retracted version's row under its old person key, when
   * the update changed that key; else null. An ordinary delete with the update's version (no longer
   * a retraction), which no step links.
   */
  public static Person storeDelete(Person retraction) {
    if (!retraction.getSources().contains(PERSON_KEY_CHANGED)) {
      return null;
    }
    return deleteOf(retraction, retraction.getLineage());
  }

  /**
   * The delete that ends {@code before}'s record when {@code update} corrected the ID that was the
   * record's identity (an agency that maps no sourceKey): the before image, flagged deleted, with
   * the update's lineage as a delete. Every step applies it as the record's end, as it applies the
   * agency's own deletes.
   */
  public static Person identityEnd(Person before, Person update) {
    return deleteOf(before, update.getLineage());
  }

  // A plain delete of the record {@code content} describes, at the version of {@code lineage}.
  private static Person deleteOf(Person content, Lineage lineage) {
    Person gone = Person.newBuilder(content).setSources(List.of()).build();
    gone.setDeleted(true);
    gone.setLineage(Lineage.newBuilder(lineage).setOperation("d").build());
    return gone;
  }

  /** True for a {@link #of retraction}. */
  public static boolean is(Person person) {
    return person.getDeleted()
        && person.getMatchMethod() == null
        && !"d".equals(person.getLineage().getOperation());
  }
}
