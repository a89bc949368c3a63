package vn.ndc.sync.deliver;

import java.util.List;

/** Names of the NDC store's tables, in one place (the DDL is ndc-store.sql). */
public final class NdcTables {

  private NdcTables() {}

  /** Merged persons, one per citizen, keyed by personal ID. */
  public static final String PERSON = "ndc.person";

  /** Agency records as reported, one per agency and person key, with the citizen linked. */
  public static final String PERSON_SOURCE = "ndc.person_source";

  /** The group role that may read the analyst views ({@code ndc_analyst.*}) and nothing else. */
  public static final String ANALYST_ROLE = "ndc_analyst";

  /** Columns of both person tables that hold a person's canonical content, in bind order. */
  public static final List<String> PERSON_CONTENT_COLUMNS =
      List.of(
          "person_key",
          "personal_id",
          "former_id",
          "full_name",
          "date_of_birth",
          "sex",
          "nationality",
          "ethnicity",
          "phone",
          "permanent_province_code",
          "permanent_commune_code",
          "permanent_street_line",
          "permanent_address_text",
          "current_province_code",
          "current_commune_code",
          "current_street_line",
          "current_address_text");
}
