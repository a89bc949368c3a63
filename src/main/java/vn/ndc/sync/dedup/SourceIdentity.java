package vn.ndc.sync.dedup;

import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;

/**
 * The identity of a source row, {@code agency|table|source primary key}: what a redelivery repeats.
 */
public final class SourceIdentity {

  private SourceIdentity() {}

  /**
   * The identity of the row a person record came from. Falls back to the person key when the record
   * carries no source key: standardize keys a person by its personal or former ID, which is what
   * identifies the row in agencies that use it as their natural key.
   */
  public static String of(Person person) {
    String rowKey = person.getSourceKey() != null ? person.getSourceKey() : person.getPersonKey();
    return of(person.getLineage(), rowKey);
  }

  /** The identity of a population row: its personal ID is the table's key. */
  public static String of(Citizen citizen) {
    return of(citizen.getLineage(), citizen.getPersonalId());
  }

  /** The identity of row {@code rowKey} of the lineage's agency and table. */
  public static String of(Lineage lineage, String rowKey) {
    return lineage.getSourceAgency() + "|" + bareTable(lineage.getSourceTable()) + "|" + rowKey;
  }

  // The same table is named schema-qualified by some connectors and bare by others.
  private static String bareTable(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? table : table.substring(dot + 1);
  }
}
