package vn.ndc.sync.standardize;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Transform {@code commune-code}: a five-digit commune code to the 2025 commune code. A 2025 code
 * is kept; any other is read as a pre-2025 code and mapped through the old→new splits. (Most
 * communes that kept their code across the 2025 reform kept it for the unit they merged into, so
 * reading 2025 codes first is right for all but two codes.) A split commune is rejected as
 * ambiguous with its candidates, never guessed.
 */
public final class CommuneCodeTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;
  private static final Pattern UNPADDED_CODE = Pattern.compile("\\d{1,5}");

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String text = VietnameseText.clean(raw);
    if (text == null) {
      return null;
    }
    // Sources that store codes as numbers drop the leading zeros.
    String code =
        UNPADDED_CODE.matcher(text).matches() ? "0".repeat(5 - text.length()) + text : text;
    AdminUnits.CommuneMatch match = AdminUnits.get().communeByCode(code);
    if (match instanceof AdminUnits.CommuneMatch.Found found) {
      return found.commune().code();
    }
    if (match instanceof AdminUnits.CommuneMatch.Ambiguous ambiguous) {
      throw new InvalidValueException(
          "ambiguous",
          "pre-2025 commune "
              + code
              + " was split in 2025; it may now be any of: "
              + ambiguous.candidates().stream()
                  .map(c -> c.code() + " " + c.type() + " " + c.name())
                  .collect(Collectors.joining(", ")));
    }
    throw new InvalidValueException("unknown", "'" + text + "' is not a commune code, old or new");
  }

  @Override
  public Class<?> outputType() {
    return String.class;
  }
}
