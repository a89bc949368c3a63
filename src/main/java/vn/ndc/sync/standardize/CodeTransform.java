package vn.ndc.sync.standardize;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Transform {@code code}: looks the value up in a code list, ignoring case, diacritics and spacing
 * ("NỮ", "nu", "Nữ" match the same entry). A missing value takes the default, if any; a value not
 * in the list is rejected rather than guessed.
 */
public final class CodeTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> codesByFoldedSource = new HashMap<>();
  private final String defaultCode;

  /**
   * @throws IllegalArgumentException when two source values differ only in case or diacritics but
   *     map to different codes
   */
  public CodeTransform(Map<String, String> codes, String defaultCode) {
    for (Map.Entry<String, String> entry : codes.entrySet()) {
      String key = VietnameseText.fold(entry.getKey());
      String previous = codesByFoldedSource.put(key, entry.getValue());
      if (previous != null && !previous.equals(entry.getValue())) {
        throw new IllegalArgumentException(
            "source values that differ only in case or diacritics map to different codes ("
                + previous
                + ", "
                + entry.getValue()
                + ") at '"
                + entry.getKey()
                + "'; they cannot be told apart");
      }
    }
    this.defaultCode = defaultCode;
  }

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String cleaned = VietnameseText.clean(raw);
    if (cleaned == null) {
      return defaultCode;
    }
    String code = codesByFoldedSource.get(VietnameseText.fold(cleaned));
    if (code == null) {
      throw new InvalidValueException(
          "code", "'" + cleaned + "' is not in the code list; add it to the mapping's codes");
    }
    return code;
  }

  /** Every code the transform can produce, for checking against an enum field. */
  public Collection<String> targetCodes() {
    TreeSet<String> targets = new TreeSet<>(codesByFoldedSource.values());
    if (defaultCode != null) {
      targets.add(defaultCode);
    }
    return targets;
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
