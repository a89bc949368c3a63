package vn.ndc.sync.standardize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Vietnam's administrative units in force since 1 July 2025 (34 provinces, 3,321 communes), and the
 * pre-2025 provinces, districts and communes mapped onto them. Resolves the names and codes found
 * in agency data, old or new, to 2025 codes; a pre-2025 commune split between several new communes
 * resolves to {@link CommuneMatch.Ambiguous}, never to a guess.
 *
 * <p>Loaded once per JVM from {@code reference/vn-admin-units/} on first use; immutable and
 * thread-safe. Operators call {@link #get()} instead of holding it, so nothing large is serialized
 * with a job graph.
 */
public final class AdminUnits {

  private static final String FOLDER = "/reference/vn-admin-units/";
  private static final Pattern COMMUNE_CODE = Pattern.compile("\\d{5}");
  private static final Pattern PROVINCE_CODE = Pattern.compile("\\d{2}");

  /** A 2025 province or centrally-run city. */
  public record Province(String code, String name, String type) {}

  /** A 2025 commune, ward or special zone. */
  public record Commune(String code, String name, String type, String provinceCode) {}

  /** Result of resolving a commune. */
  public sealed interface CommuneMatch {
    /** Exactly one 2025 commune. */
    record Found(Commune commune) implements CommuneMatch {}

    /** Several 2025 communes fit (a split commune, or a name used twice); send to review. */
    record Ambiguous(List<Commune> candidates) implements CommuneMatch {}

    /** No commune fits. */
    record NotFound() implements CommuneMatch {}
  }

  private record OldCommune(
      String code, String name, String type, String key, List<String> newCodes) {}

  private record OldDistrict(
      String code, String name, String type, String key, List<OldCommune> communes) {}

  private record OldProvince(
      String code, String name, String type, String newCode, List<OldDistrict> districts) {}

  /** A province named in text, with the pre-2025 provinces the name can stand for. */
  private record ProvinceHit(String newCode, Set<String> oldCodes, boolean oldNameOnly) {}

  private static final class Holder {
    static final AdminUnits INSTANCE = load();
  }

  private final Map<String, Province> provinces = new HashMap<>();
  private final Map<String, Commune> communes = new HashMap<>();
  private final Map<String, Map<String, List<Commune>>> communesByProvinceAndKey = new HashMap<>();
  private final Map<String, OldProvince> oldProvinces = new HashMap<>();
  private final Map<String, OldCommune> oldCommunes = new HashMap<>();
  private final Map<String, Map<String, List<OldCommune>>> oldCommunesByProvinceAndKey =
      new HashMap<>();
  private final Map<String, ProvinceHit> provincesByKey = new HashMap<>();

  private AdminUnits() {}

  /** The reference data, loaded on first call. */
  public static AdminUnits get() {
    return Holder.INSTANCE;
  }

  /** A 2025 province by its two-digit code. */
  public Optional<Province> province(String code) {
    return Optional.ofNullable(provinces.get(code));
  }

  /** A 2025 commune by its five-digit code. */
  public Optional<Commune> commune(String code) {
    return Optional.ofNullable(communes.get(code));
  }

  /** True for the two-digit code of one of the 63 provinces before 1 July 2025. */
  public boolean isPre2025ProvinceCode(String code) {
    return oldProvinces.containsKey(code);
  }

  /**
   * The 2025 province named by free text: a 2025 or pre-2025 name in any spelling ("TP.HCM", "Tp Ho
   * Chi Minh", "Thành phố Hồ Chí Minh", "Hà Giang"), a common abbreviation (HCM, HN), or a
   * two-digit code, 2025 or pre-2025.
   */
  public Optional<Province> findProvince(String text) {
    return Optional.ofNullable(provinceHit(text)).map(hit -> provinces.get(hit.newCode()));
  }

  /** A commune by code: a 2025 code, else a pre-2025 code mapped through the old→new splits. */
  public CommuneMatch communeByCode(String code) {
    String trimmed = code == null ? "" : code.strip();
    Commune current = communes.get(trimmed);
    if (current != null) {
      return new CommuneMatch.Found(current);
    }
    OldCommune old = oldCommunes.get(trimmed);
    return old == null ? new CommuneMatch.NotFound() : matchOf(old.newCodes());
  }

  /**
   * A commune named by text (or a code) within the province named by {@code provinceText}.
   *
   * @param districtText the pre-2025 district, when the address names one; an address with a
   *     district was written before 2025, so its commune is looked up among the old ones first
   */
  public CommuneMatch findCommune(String provinceText, String communeText, String districtText) {
    ProvinceHit province = provinceHit(provinceText);
    if (province == null || communeText == null || communeText.isBlank()) {
      return new CommuneMatch.NotFound();
    }
    String code = communeText.strip();
    if (COMMUNE_CODE.matcher(code).matches()) {
      CommuneMatch byCode = communeByCode(code);
      return inProvince(byCode, province.newCode());
    }
    UnitName name = UnitName.parse(communeText, UnitName.COMMUNE_TYPES);
    boolean oldFirst = province.oldNameOnly() || (districtText != null && !districtText.isBlank());
    // The second lookup only runs when the first finds nothing: this is the standardize hot path.
    CommuneMatch first =
        oldFirst
            ? oldByName(province.oldCodes(), districtText, name)
            : currentByName(province.newCode(), name);
    if (!(first instanceof CommuneMatch.NotFound)) {
      return first;
    }
    return oldFirst
        ? currentByName(province.newCode(), name)
        : oldByName(province.oldCodes(), districtText, name);
  }

  /** True when the text names a pre-2025 district of the province (e.g. "Quận Ba Đình"). */
  public boolean isOldDistrict(String provinceText, String districtText) {
    ProvinceHit province = provinceHit(provinceText);
    return province != null && !oldDistricts(province.oldCodes(), districtText).isEmpty();
  }

  /** True when the text names a pre-2025 commune of that pre-2025 district. */
  boolean isOldCommuneOf(String provinceText, String communeText, String districtText) {
    ProvinceHit province = provinceHit(provinceText);
    if (province == null) {
      return false;
    }
    List<OldDistrict> districts = oldDistricts(province.oldCodes(), districtText);
    String key = UnitName.parse(communeText, UnitName.COMMUNE_TYPES).key();
    return districts.stream()
        .flatMap(d -> d.communes().stream())
        .anyMatch(c -> c.key().equals(key));
  }

  private CommuneMatch inProvince(CommuneMatch match, String provinceCode) {
    if (match instanceof CommuneMatch.Found found
        && !found.commune().provinceCode().equals(provinceCode)) {
      return new CommuneMatch.NotFound();
    }
    if (match instanceof CommuneMatch.Ambiguous ambiguous) {
      List<Commune> inside =
          ambiguous.candidates().stream()
              .filter(c -> c.provinceCode().equals(provinceCode))
              .toList();
      return inside.isEmpty()
          ? new CommuneMatch.NotFound()
          : matchOf(inside.stream().map(Commune::code).toList());
    }
    return match;
  }

  private CommuneMatch currentByName(String provinceCode, UnitName name) {
    List<Commune> named =
        communesByProvinceAndKey
            .getOrDefault(provinceCode, Map.of())
            .getOrDefault(name.key(), List.of());
    List<Commune> typed =
        named.stream()
            .filter(c -> name.type() == null || c.type().equalsIgnoreCase(name.type()))
            .toList();
    // A wrong type word ("Xã" for a ward) is a common slip; the name alone still counts.
    return matchOf((typed.isEmpty() ? named : typed).stream().map(Commune::code).toList());
  }

  private CommuneMatch oldByName(Set<String> oldProvinceCodes, String districtText, UnitName name) {
    List<OldDistrict> districts = oldDistricts(oldProvinceCodes, districtText);
    List<OldCommune> named;
    if (districts.isEmpty()) {
      named = new ArrayList<>();
      for (String p : oldProvinceCodes) {
        named.addAll(
            oldCommunesByProvinceAndKey
                .getOrDefault(p, Map.of())
                .getOrDefault(name.key(), List.of()));
      }
    } else {
      named =
          districts.stream()
              .flatMap(d -> d.communes().stream())
              .filter(c -> c.key().equals(name.key()))
              .toList();
    }
    List<OldCommune> typed =
        named.stream()
            .filter(c -> name.type() == null || c.type().equalsIgnoreCase(name.type()))
            .toList();
    List<String> newCodes = new ArrayList<>();
    for (OldCommune old : typed.isEmpty() ? named : typed) {
      newCodes.addAll(old.newCodes());
    }
    return matchOf(newCodes);
  }

  private List<OldDistrict> oldDistricts(Set<String> oldProvinceCodes, String districtText) {
    if (districtText == null || districtText.isBlank()) {
      return List.of();
    }
    UnitName district = UnitName.parse(districtText, UnitName.DISTRICT_TYPES);
    return oldProvinceCodes.stream()
        .flatMap(p -> oldProvinces.get(p).districts().stream())
        .filter(d -> district.key().equals(d.key()))
        .filter(d -> district.type() == null || d.type().equalsIgnoreCase(district.type()))
        .toList();
  }

  private CommuneMatch matchOf(Collection<String> codes) {
    List<Commune> found =
        new LinkedHashSet<>(codes).stream().map(communes::get).filter(c -> c != null).toList();
    if (found.isEmpty()) {
      return new CommuneMatch.NotFound();
    }
    return found.size() == 1
        ? new CommuneMatch.Found(found.get(0))
        : new CommuneMatch.Ambiguous(found);
  }

  private ProvinceHit provinceHit(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String trimmed = text.strip();
    if (PROVINCE_CODE.matcher(trimmed).matches()) {
      ProvinceHit byCode = provincesByKey.get("code:" + trimmed);
      if (byCode != null) {
        return byCode;
      }
    }
    return provincesByKey.get(UnitName.parse(trimmed, UnitName.PROVINCE_TYPES).key());
  }

  private static AdminUnits load() {
    ObjectMapper json = new ObjectMapper();
    AdminUnits units = new AdminUnits();
    units.loadCurrent(read(json, "vn_units_2025.json"));
    units.loadOld(read(json, "vn_units_pre_2025.json"));
    units.indexProvinces();
    return units;
  }

  private static JsonNode read(ObjectMapper json, String file) {
    try (InputStream in = AdminUnits.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "reference data missing from the classpath: " + FOLDER + file);
      }
      return json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read reference data " + FOLDER + file, e);
    }
  }

  private void loadCurrent(JsonNode root) {
    for (JsonNode p : root) {
      Province province =
          new Province(p.get("code").asText(), p.get("name").asText(), p.get("type").asText());
      provinces.put(province.code(), province);
      Map<String, List<Commune>> byKey = new HashMap<>();
      for (JsonNode c : p.get("communes")) {
        Commune commune =
            new Commune(c.get(0).asText(), c.get(1).asText(), c.get(2).asText(), province.code());
        communes.put(commune.code(), commune);
        byKey.computeIfAbsent(UnitName.keyOf(commune.name()), k -> new ArrayList<>()).add(commune);
      }
      communesByProvinceAndKey.put(province.code(), byKey);
    }
  }

  private void loadOld(JsonNode root) {
    for (JsonNode p : root) {
      List<OldDistrict> districts = new ArrayList<>();
      for (JsonNode d : p.get("districts")) {
        List<OldCommune> list = new ArrayList<>();
        for (JsonNode c : d.get("communes")) {
          List<String> newCodes = new ArrayList<>();
          c.get(3).forEach(code -> newCodes.add(code.asText()));
          OldCommune commune =
              new OldCommune(
                  c.get(0).asText(),
                  c.get(1).asText(),
                  c.get(2).asText(),
                  UnitName.keyOf(c.get(1).asText()),
                  List.copyOf(newCodes));
          list.add(commune);
          oldCommunes.put(commune.code(), commune);
        }
        String name = text(d, "name");
        String key = name == null ? null : UnitName.keyOf(name);
        districts.add(
            new OldDistrict(text(d, "code"), name, text(d, "type"), key, List.copyOf(list)));
      }
      OldProvince province =
          new OldProvince(
              p.get("code").asText(),
              p.get("name").asText(),
              p.get("type").asText(),
              p.get("newCode").asText(),
              List.copyOf(districts));
      oldProvinces.put(province.code(), province);
      Map<String, List<OldCommune>> byKey = new HashMap<>();
      for (OldDistrict district : province.districts()) {
        for (OldCommune commune : district.communes()) {
          byKey.computeIfAbsent(commune.key(), k -> new ArrayList<>()).add(commune);
        }
      }
      oldCommunesByProvinceAndKey.put(province.code(), byKey);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private void indexProvinces() {
    Map<String, Set<String>> oldCodesByNew = new HashMap<>();
    oldProvinces
        .values()
        .forEach(
            old ->
                oldCodesByNew
                    .computeIfAbsent(old.newCode(), k -> new LinkedHashSet<>())
                    .add(old.code()));
    // Old names first, so a 2025 name that an old province also had stands for the whole new one.
    for (OldProvince old : oldProvinces.values()) {
      ProvinceHit hit = new ProvinceHit(old.newCode(), Set.of(old.code()), true);
      provincesByKey.put(UnitName.keyOf(old.name()), hit);
      provincesByKey.put("code:" + old.code(), hit);
    }
    for (Province province : provinces.values()) {
      ProvinceHit hit =
          new ProvinceHit(province.code(), Set.copyOf(oldCodesByNew.get(province.code())), false);
      provincesByKey.put(UnitName.keyOf(province.name()), hit);
      provincesByKey.put("code:" + province.code(), hit);
    }
    alias("hcm", "79");
    alias("tphcm", "79");
    alias("saigon", "79");
    alias("hn", "01");
    alias("tphn", "01");
    alias("brvt", "77");
    alias("thuathienhue", "46");
  }

  private void alias(String key, String code) {
    provincesByKey.putIfAbsent(key, provincesByKey.get("code:" + code));
  }
}
