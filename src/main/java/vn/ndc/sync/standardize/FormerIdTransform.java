package vn.ndc.sync.standardize;

/** Transform {@code former-id}: the 9-digit former identity card number (CMND). */
public final class FormerIdTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String digits = PersonalIdTransform.stripSeparators(raw);
    if (digits == null) {
      return null;
    }
    if (digits.length() != 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidValueException(
          "format", "a former ID card number has 9 digits, got '" + raw.strip() + "'");
    }
    return digits;
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
