package vn.ndc.sync.standardize;

import java.io.Serializable;

/** One line of a mapping: canonical field ← transform(source column). */
public record FieldMapping(
    CanonicalField field, String column, String transformName, ValueTransform transform)
    implements Serializable {}
