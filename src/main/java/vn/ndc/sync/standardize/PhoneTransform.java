package vn.ndc.sync.standardize;

import java.util.regex.Pattern;

/**
 * Transform {@code phone}: a Vietnamese phone number in E.164 form. Accepts national (0912 345
 * 678), international (+84 912 345 678, 0084..., 84912345678) and separators. A valid national
 * number is a mobile (9 digits starting 3, 5, 7, 8 or 9) or a landline (10 digits starting 2, the
 * area-code plan since 2017).
 */
public final class PhoneTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\u00A0.\\-()/]");
  private static final Pattern NATIONAL = Pattern.compile("[35789]\\d{8}|2\\d{9}");

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String text = VietnameseText.clean(raw);
    if (text == null) {
      return null;
    }
    String national = nationalNumber(SEPARATORS.matcher(text).replaceAll(""));
    if (national == null || !NATIONAL.matcher(national).matches()) {
      throw new InvalidValueException(
          "format",
          "not a Vietnamese mobile or landline number: '"
              + text
              + "' (expected e.g. 0912 345 678 or +84 912 345 678)");
    }
    return "+84" + national;
  }

  private static String nationalNumber(String compact) {
    if (compact.startsWith("+84")) {
      return withoutTrunkPrefix(compact.substring(3));
    }
    if (compact.startsWith("0084")) {
      return withoutTrunkPrefix(compact.substring(4));
    }
    if (compact.startsWith("0")) {
      return compact.substring(1);
    }
    // Without + or 0, an 84 prefix is the country code only if the rest is a full number.
    if (compact.startsWith("84") && compact.length() >= 11) {
      return compact.substring(2);
    }
    return null;
  }

  // "+84 (0) 912 345 678": the national trunk 0 written after the country code.
  private static String withoutTrunkPrefix(String number) {
    return number.startsWith("0") ? number.substring(1) : number;
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
