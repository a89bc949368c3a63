package vn.ndc.sync.deliver;

/** Names of the NDC store's tables, in one place (the DDL is ndc-store.sql). */
public final class NdcTables {

  private NdcTables() {}

  /** Merged persons, one per citizen, keyed by personal ID. */
  public static final String PERSON = "ndc.person";

  /** Agency records as reported, one per agency and person key, with the citizen linked. */
  public static final String PERSON_SOURCE = "ndc.person_source";
}
