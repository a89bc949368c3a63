package vn.ndc.sync.standardize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits a free-text Vietnamese address, "house number, street, commune, (district), province",
 * into its administrative units and the street line below them, reading from the end because the
 * province is the most reliable part. Any of the unit parts may be old (pre-2025) or new.
 */
final class AddressParser {

  private static final Pattern PART_SEPARATOR = Pattern.compile("[,;]");

  /** What a free-text address says. */
  record ParsedAddress(
      String provinceCode,
      AdminUnits.CommuneMatch commune,
      String streetLine,
      String originalText) {}

  private AddressParser() {}

  /**
   * Parses address text; null for blank text.
   *
   * @param defaultProvince the province to assume when the text ends without one (a provincial
   *     agency's own addresses), or null
   */
  static ParsedAddress parse(String text, String defaultProvince, AdminUnits units) {
    String original = VietnameseText.clean(text);
    if (original == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    Arrays.stream(PART_SEPARATOR.split(original))
        .map(String::strip)
        .filter(p -> !p.isEmpty())
        .forEach(parts::add);
    while (!parts.isEmpty() && isCountry(parts.get(parts.size() - 1))) {
      parts.remove(parts.size() - 1);
    }
    AdminUnits.CommuneMatch none = new AdminUnits.CommuneMatch.NotFound();
    if (parts.isEmpty()) {
      return new ParsedAddress(null, none, null, original);
    }
    String provinceText = parts.get(parts.size() - 1);
    AdminUnits.Province province = units.findProvince(provinceText).orElse(null);
    int next = parts.size() - 2;
    if (province == null && defaultProvince != null) {
      provinceText = defaultProvince;
      province = units.findProvince(defaultProvince).orElse(null);
      next = parts.size() - 1;
    }
    if (province == null) {
      return new ParsedAddress(null, none, null, original);
    }
    String district = null;
    if (next >= 0 && isDistrict(parts, next, provinceText, units)) {
      district = parts.get(next--);
    }
    AdminUnits.CommuneMatch commune = none;
    if (next >= 0) {
      String candidate = parts.get(next);
      commune = units.findCommune(provinceText, candidate, district);
      boolean namedAsCommune = startsWith(candidate, UnitName.COMMUNE_TYPES);
      // An unresolved "Phường X" is still not part of the street line.
      if (!(commune instanceof AdminUnits.CommuneMatch.NotFound) || namedAsCommune) {
        next--;
      }
    }
    String street = next >= 0 ? String.join(", ", parts.subList(0, next + 1)) : null;
    return new ParsedAddress(province.code(), commune, street, original);
  }

  private static boolean isDistrict(
      List<String> parts, int index, String provinceText, AdminUnits units) {
    String part = parts.get(index);
    if (startsWith(part, UnitName.COMMUNE_TYPES)) {
      return false;
    }
    if (startsWith(part, UnitName.DISTRICT_TYPES)) {
      return true;
    }
    if (!units.isOldDistrict(provinceText, part)) {
      return false;
    }
    // "Ba Đình" was a district and is now also a ward: it is the district when the part before
    // it is one of that district's old communes.
    boolean alsoACommune =
        !(units.findCommune(provinceText, part, null) instanceof AdminUnits.CommuneMatch.NotFound);
    return !alsoACommune
        || (index > 0 && units.isOldCommuneOf(provinceText, parts.get(index - 1), part));
  }

  private static boolean startsWith(String part, Map<String, String> types) {
    return UnitName.startsWithType(part, types);
  }

  private static boolean isCountry(String part) {
    String key = UnitName.keyOf(part);
    return key.equals("vietnam") || key.equals("vn");
  }
}
