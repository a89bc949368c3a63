package vn.ndc.sync.enrich;

import org.apache.flink.util.OutputTag;
import vn.ndc.sync.avro.CitizenIndexEntry;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/** Side outputs that connect the resolution steps, and the review output. */
public final class EnrichTags {

  private EnrichTags() {}

  /** Records a step could not resolve, for the next step. */
  public static final OutputTag<Person> UNRESOLVED =
      new OutputTag<>("person-unresolved", new CompiledAvroTypeInfo<>(Person.class));

  /** From {@link ResolveByPersonalId}: citizens filed under or withdrawn from former IDs. */
  public static final OutputTag<CitizenIndexEntry> FORMER_ID_INDEX =
      new OutputTag<>(
          "citizen-former-id-index", new CompiledAvroTypeInfo<>(CitizenIndexEntry.class));

  /**
   * From {@link ResolveByPersonalId} (filings, withdrawals, claims) and {@link ResolveByFormerId}
   * (claims): entries for {@link ResolveByDemographics}.
   */
  public static final OutputTag<CitizenIndexEntry> DEMOGRAPHIC_INDEX =
      new OutputTag<>(
          "citizen-demographic-index", new CompiledAvroTypeInfo<>(CitizenIndexEntry.class));

  /** From {@link ResolveByDemographics}: the topic review.person-unmatched. */
  public static final OutputTag<PersonReview> REVIEW =
      new OutputTag<>("review.person-unmatched", new CompiledAvroTypeInfo<>(PersonReview.class));
}
