package vn.ndc.sync.enrich;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.dedup.SourceIdentity;
import vn.ndc.sync.standardize.AdminUnits;
import vn.ndc.sync.standardize.VietnameseText;

/**
 * Demographic match keys: {@code folded name|date of birth|sex|2025 province code}.
 *
 * <p>Agencies record where a person lives, the population data where they were born and where they
 * live; a citizen is therefore filed under its birth province and its permanent-address province,
 * and a record is looked up under its own address province.
 */
public final class MatchKeys {

  /** Prefix of the demographic-step key of a record that lacks match data. */
  static final String INCOMPLETE_PREFIX = "?";

  private MatchKeys() {}

  /** The keys a citizen is filed under (none when name, date of birth or sex is missing). */
  public static Set<String> of(Citizen citizen) {
    Set<String> keys = new LinkedHashSet<>();
    addKey(
        keys,
        citizen.getFullName(),
        citizen.getDateOfBirth(),
        citizen.getSex(),
        province2025(citizen.getBirthProvinceCode()));
    addKey(
        keys,
        citizen.getFullName(),
        citizen.getDateOfBirth(),
        citizen.getSex(),
        provinceOf(citizen.getPermanentAddress()));
    return keys;
  }

  /**
   * The demographic key of a record, or null when name, date of birth, sex or province is missing.
   */
  public static String of(Person person) {
    String province = provinceOf(person.getPermanentAddress());
    if (province == null) {
      province = provinceOf(person.getCurrentAddress());
    }
    return key(person.getFullName(), person.getDateOfBirth(), person.getSex(), province);
  }

  /**
   * Key of a record at the demographic step: its demographic key, else one of its own so a record
   * that carries an ID can still wait there for its citizen.
   */
  public static String demographicStepKey(Person person) {
    String key = of(person);
    return key != null ? key : INCOMPLETE_PREFIX + SourceIdentity.of(person);
  }

  /**
   * A birth-registration province code as a 2025 province code: the pre-2025 3-digit form (as in
   * the personal ID) or a 2-digit code. A 2025 province kept the code of one of the provinces
   * merged into it, so a pre-2025 code that is also a 2025 code names the province it became.
   */
  public static String province2025(String code) {
    if (code == null) {
      return null;
    }
    String trimmed = code.strip();
    if (trimmed.length() == 3 && trimmed.charAt(0) == '0') {
      trimmed = trimmed.substring(1);
    }
    if (trimmed.length() != 2) {
      return null;
    }
    return AdminUnits.get().findProvince(trimmed).map(AdminUnits.Province::code).orElse(null);
  }

  private static String provinceOf(Address address) {
    return address == null ? null : address.getProvinceCode();
  }

  private static void addKey(
      Set<String> keys, String name, LocalDate dateOfBirth, Sex sex, String province) {
    String key = key(name, dateOfBirth, sex, province);
    if (key != null) {
      keys.add(key);
    }
  }

  private static String key(String name, LocalDate dateOfBirth, Sex sex, String province) {
    String folded = VietnameseText.fold(name);
    if (folded.isEmpty()
        || dateOfBirth == null
        || sex == null
        || sex == Sex.UNKNOWN
        || province == null) {
      return null;
    }
    return folded + "|" + dateOfBirth + "|" + sex + "|" + province;
  }
}
