package vn.ndc.sync.standardize;

import java.io.Serializable;

/** Standardizes one source column value into the value of one canonical field. */
public interface ValueTransform extends Serializable {

  /**
   * @param raw the column value as text, possibly null
   * @return the canonical value, or null when the source holds no value
   * @throws InvalidValueException when the value is present but cannot be standardized
   */
  Object apply(String raw) throws InvalidValueException;

  /** Java type of the values {@link #apply} returns; checked against the canonical field. */
  Class<?> outputType();
}
