package vn.ndc.sync.standardize;

import java.io.Serializable;

/**
 * One line of a mapping: canonical field ← transform(source column).
 *
 * @param emptyIfAbsent whether a row without the column leaves the field empty ({@code ifAbsent:
 *     empty}, for a column the agency adds later) instead of rejecting the row
 */
public record FieldMapping(
    CanonicalField field,
    String column,
    String transformName,
    ValueTransform transform,
    boolean emptyIfAbsent)
    implements Serializable {

  /** A field whose column must be present in every row. */
  public FieldMapping(
      CanonicalField field, String column, String transformName, ValueTransform transform) {
    this(field, column, transformName, transform, false);
  }
}
