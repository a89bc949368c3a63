package vn.ndc.sync.standardize;

import java.util.regex.Pattern;

/**
 * Transform {@code personal-id}: the 12-digit personal ID (CCCD) with spaces, dots and dashes
 * removed. A 9-digit value is a former identity card number (CMND) stored in the wrong column; it
 * is returned as is and {@link PersonMapper} moves it to {@code formerId}.
 */
public final class PersonalIdTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\u00A0.\\-]");

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String digits = stripSeparators(raw);
    if (digits == null) {
      return null;
    }
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || (digits.length() != 12 && digits.length() != 9)) {
      throw new InvalidValueException(
          "format", "a personal ID has 12 digits, got '" + raw.strip() + "'");
    }
    return digits;
  }

  static String stripSeparators(String raw) {
    if (raw == null) {
      return null;
    }
    String digits = SEPARATORS.matcher(raw).replaceAll("");
    return digits.isEmpty() ? null : digits;
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
