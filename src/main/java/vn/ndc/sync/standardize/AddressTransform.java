package vn.ndc.sync.standardize;

import java.util.stream.Collectors;
import vn.ndc.sync.avro.Address;

/**
 * Transform {@code address}: a free-text Vietnamese address to an {@link Address} with the 2025
 * province and commune codes, the street line below the commune, and the original text. Old
 * (pre-2025) unit names and codes are mapped to the 2025 units. A commune that cannot be resolved
 * to exactly one 2025 commune is left without a code (option {@code unresolved: keep}, the default)
 * or rejects the row ({@code unresolved: reject}, rules ...province-unknown, ...commune-unknown,
 * ...commune-ambiguous with the candidates in the message).
 */
public final class AddressTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  private final boolean rejectUnresolved;

  public AddressTransform(boolean rejectUnresolved) {
    this.rejectUnresolved = rejectUnresolved;
  }

  @Override
  public Object apply(String raw) throws InvalidValueException {
    AddressParser.ParsedAddress parsed = AddressParser.parse(raw, AdminUnits.get());
    if (parsed == null) {
      return null;
    }
    String communeCode = null;
    if (parsed.commune() instanceof AdminUnits.CommuneMatch.Found found) {
      communeCode = found.commune().code();
    } else if (rejectUnresolved) {
      throw unresolved(parsed);
    }
    return Address.newBuilder()
        .setProvinceCode(parsed.provinceCode())
        .setCommuneCode(communeCode)
        .setStreetLine(parsed.streetLine())
        .setOriginalText(parsed.originalText())
        .build();
  }

  private static InvalidValueException unresolved(AddressParser.ParsedAddress parsed) {
    if (parsed.provinceCode() == null) {
      return new InvalidValueException(
          "province-unknown",
          "no province recognized at the end of '" + parsed.originalText() + "'");
    }
    if (parsed.commune() instanceof AdminUnits.CommuneMatch.Ambiguous ambiguous) {
      String candidates =
          ambiguous.candidates().stream()
              .map(c -> c.code() + " " + c.type() + " " + c.name())
              .collect(Collectors.joining(", "));
      return new InvalidValueException(
          "commune-ambiguous",
          "the commune in '"
              + parsed.originalText()
              + "' was split in 2025; it may now be any of: "
              + candidates);
    }
    return new InvalidValueException(
        "commune-unknown",
        "no commune of province "
            + parsed.provinceCode()
            + " recognized in '"
            + parsed.originalText()
            + "'");
  }

  @Override
  public Class<?> outputType() {
    return Address.class;
  }
}
