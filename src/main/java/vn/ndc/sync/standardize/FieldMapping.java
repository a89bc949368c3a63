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

  /** Whether {@code row} lacks this field's column and the mapping does not allow that. */
  public boolean missingFrom(java.util.Map<String, String> row) {
    return !emptyIfAbsent && !row.containsKey(column);
  }

  /** Why a row without the column is rejected, for the dead letter. */
  public String missingColumnMessage() {
    return "the row has no column '"
        + column
        + "' (mapped to "
        + field.path()
        + "): was it dropped or renamed at the source? Restore it, or change the mapping"
        + " (ifAbsent: empty for an optional field)";
  }
}
