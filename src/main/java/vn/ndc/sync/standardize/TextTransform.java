package vn.ndc.sync.standardize;

/** Transform {@code text}: NFC, whitespace collapsed and trimmed; blank becomes null. */
public final class TextTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  @Override
  public Object apply(String raw) {
    return VietnameseText.clean(raw);
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
