package vn.ndc.sync.standardize;

/** A source value a transform cannot standardize; the record is rejected under {@link #kind()}. */
public final class InvalidValueException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String kind;

  /**
   * @param kind last part of the rule name, e.g. "format"; the mapper prefixes entity and field
   */
  public InvalidValueException(String kind, String message) {
    // Rejections are data, not bugs: a stack trace would only cost time on bad batches.
    super(message, null, false, false);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
