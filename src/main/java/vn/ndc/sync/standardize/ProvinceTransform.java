package vn.ndc.sync.standardize;

/**
 * Transform {@code province}: a province name or code, 2025 or pre-2025, to the two-digit 2025
 * province code ("TP.HCM", "Bình Dương" and "74" all give 79).
 */
public final class ProvinceTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String text = VietnameseText.clean(raw);
    if (text == null) {
      return null;
    }
    return AdminUnits.get()
        .findProvince(text)
        .map(AdminUnits.Province::code)
        .orElseThrow(
            () -> new InvalidValueException("unknown", "'" + text + "' is not a province"));
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
