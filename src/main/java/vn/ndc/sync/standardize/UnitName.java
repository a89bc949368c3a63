package vn.ndc.sync.standardize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Matching key of an administrative unit name as people write it: "Phường 01", "P.1" and "phuong 1"
 * share a key, as do "TP.HCM"-style prefixes and spellings with or without diacritics. The key
 * drops the unit type, which {@link #type()} keeps when the text named one.
 *
 * @param key diacritics-free name without spaces, punctuation, unit type or leading zeros
 * @param type the unit type the text started with ("Phường", "Xã", "Quận", ...), or null
 */
record UnitName(String key, String type) {

  private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
  private static final Pattern LEADING_ZEROS = Pattern.compile("^0+(?=.)");

  /** Unit type prefixes of communes, as folded words → the type's name. */
  static final Map<String, String> COMMUNE_TYPES =
      Map.of(
          "phuong", "Phường",
          "p", "Phường",
          "xa", "Xã",
          "x", "Xã",
          "thi tran", "Thị trấn",
          "tt", "Thị trấn",
          "dac khu", "Đặc khu");

  /** Unit type prefixes of pre-2025 districts. */
  static final Map<String, String> DISTRICT_TYPES =
      Map.of(
          "quan", "Quận",
          "q", "Quận",
          "huyen", "Huyện",
          "h", "Huyện",
          "thi xa", "Thị xã",
          "tx", "Thị xã",
          "thanh pho", "Thành phố",
          "tp", "Thành phố");

  /** Unit type prefixes of provinces. */
  static final Map<String, String> PROVINCE_TYPES =
      Map.of("tinh", "Tỉnh", "t", "Tỉnh", "thanh pho", "Thành phố", "tp", "Thành phố");

  // Unit names repeat from record to record and parsing them is regex work: remember the parses of
  // the three type sets, up to a bound, since the same calls also see high-cardinality street text.
  private static final int CACHE_LIMIT = 20_000;
  private static final Map<String, UnitName> COMMUNE_CACHE = new ConcurrentHashMap<>();
  private static final Map<String, UnitName> DISTRICT_CACHE = new ConcurrentHashMap<>();
  private static final Map<String, UnitName> PROVINCE_CACHE = new ConcurrentHashMap<>();
  private static final Map<String, String> KEY_CACHE = new ConcurrentHashMap<>();

  /** Parses text, removing a leading unit type from {@code types} when more words follow. */
  static UnitName parse(String text, Map<String, String> types) {
    Map<String, UnitName> cache =
        types == COMMUNE_TYPES
            ? COMMUNE_CACHE
            : types == DISTRICT_TYPES
                ? DISTRICT_CACHE
                : types == PROVINCE_TYPES ? PROVINCE_CACHE : null;
    if (cache == null || text == null) {
      return parseText(text, types);
    }
    UnitName known = cache.get(text);
    if (known != null) {
      return known;
    }
    UnitName parsed = parseText(text, types);
    if (cache.size() < CACHE_LIMIT) {
      cache.put(text, parsed);
    }
    return parsed;
  }

  private static UnitName parseText(String text, Map<String, String> types) {
    List<String> words = words(text);
    String type = null;
    for (int take = 2; take >= 1 && type == null; take--) {
      if (words.size() > take) {
        String prefix = String.join(" ", words.subList(0, take));
        type = types.get(prefix);
        if (type != null) {
          words = words.subList(take, words.size());
        }
      }
    }
    return new UnitName(join(words), type);
  }

  /** The key of a name from the reference data (no type prefix). */
  static String keyOf(String name) {
    if (name == null) {
      return join(words(null));
    }
    String known = KEY_CACHE.get(name);
    if (known != null) {
      return known;
    }
    String key = join(words(name));
    if (KEY_CACHE.size() < CACHE_LIMIT) {
      KEY_CACHE.put(name, key);
    }
    return key;
  }

  /** True when the text starts with one of the unit types. */
  static boolean startsWithType(String text, Map<String, String> types) {
    return parse(text, types).type() != null;
  }

  private static List<String> words(String text) {
    String folded = NOT_ALPHANUMERIC.matcher(VietnameseText.fold(text)).replaceAll(" ").trim();
    if (folded.isEmpty()) {
      return List.of();
    }
    return new ArrayList<>(Arrays.asList(folded.split(" ")));
  }

  // "Phường 01" and "Phường 1" are the same unit.
  private static String join(List<String> words) {
    StringBuilder key = new StringBuilder();
    for (String word : words) {
      boolean number = word.chars().allMatch(Character::isDigit);
      key.append(number ? LEADING_ZEROS.matcher(word).replaceFirst("") : word);
    }
    return key.toString();
  }
}
