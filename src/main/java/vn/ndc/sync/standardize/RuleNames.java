package vn.ndc.sync.standardize;

import java.util.Locale;

/** Builds rule names such as person.date-of-birth.format from entity and field names. */
final class RuleNames {

  private RuleNames() {}

  /**
   * "Person", "permanentAddress.streetLine", "format" → person.permanent-address.street-line.format
   */
  static String forField(String entity, String fieldPath, String kind) {
    return entity.toLowerCase(Locale.ROOT) + "." + kebab(fieldPath) + "." + kind;
  }

  static String kebab(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
