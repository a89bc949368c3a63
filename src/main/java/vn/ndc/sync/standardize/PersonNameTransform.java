package vn.ndc.sync.standardize;

/**
 * Transform {@code person-name}: cleaned text with each word capitalized ("nguyễn văn a" → "Nguyễn
 * Văn A").
 */
public final class PersonNameTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String cleaned = VietnameseText.clean(raw);
    if (cleaned == null) {
      return null;
    }
    if (cleaned.codePoints().noneMatch(Character::isLetter)) {
      throw new InvalidValueException("format", "a name needs letters, got '" + cleaned + "'");
    }
    return VietnameseText.capitalizeWords(cleaned);
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
