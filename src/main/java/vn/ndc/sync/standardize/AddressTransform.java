package vn.ndc.sync.standardize;

import java.util.stream.Collectors;
import vn.ndc.sync.avro.Address;

/**
 * Transform {@code address}: a free-text Vietnamese address to an {@link Address} with the 2025
 * province and commune codes, the street line below the commune, and the original text. Old
 * (pre-2025) unit names and codes are mapped to the 2025 units. A commune that cannot be resolved
 * to exactly one 2025 commune is left without a code (option {@code unresolved: keep}, the default)
 * or rejects the row ({@code unresolved: reject}, rules ...province-unknown, ...commune-unknown,
 * ...commune-ambiguous with the candidates in the message). Option {@code province} (a name or
 * code) is assumed for addresses that end without a province, as a provincial agency's often do.
 */
public final class AddressTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;

  private final boolean rejectUnresolved;
  private final String defaultProvince;

  /**
   * @param rejectUnresolved reject the row when the province or commune cannot be resolved
   * @param defaultProvince province assumed when the text ends without one, or null
   * @throws IllegalArgumentException when the default province is not a known province
   */
  public AddressTransform(boolean rejectUnresolved, String defaultProvince) {
    if (defaultProvince != null && AdminUnits.get().findProvince(defaultProvince).isEmpty()) {
      throw new IllegalArgumentException(
          "province '"
              + defaultProvince
              + "' is not a province name or code; use e.g. province: 79");
    }
    this.rejectUnresolved = rejectUnresolved;
    this.defaultProvince = defaultProvince;
  }

  @Override
  public Object apply(String raw) throws InvalidValueException {
    AddressParser.ParsedAddress parsed =
        AddressParser.parse(raw, defaultProvince, AdminUnits.get());
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
