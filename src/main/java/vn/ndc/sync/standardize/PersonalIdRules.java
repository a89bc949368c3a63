package vn.ndc.sync.standardize;

import java.time.LocalDate;
import vn.ndc.sync.avro.Sex;

/**
 * Consistency of a 12-digit personal ID with the person it identifies. The ID encodes the province
 * of birth registration (digits 1-3: "0" + a pre-2025 province code), century and sex (digit 4:
 * 1900s male 0 / female 1, 2000s 2/3, 2100s 4/5) and the last two digits of the birth year (digits
 * 5-6); there is no checksum.
 */
final class PersonalIdRules {

  private PersonalIdRules() {}

  /** The first inconsistency, or null; checks that need sex or birth date skip when absent. */
  static MappingResult.Rejected check(
      String personalId, Sex sex, LocalDate born, AdminUnits units) {
    if (personalId == null || personalId.length() != 12) {
      return null;
    }
    String province = personalId.substring(0, 3);
    if (province.charAt(0) != '0' || !units.isPre2025ProvinceCode(province.substring(1))) {
      return new MappingResult.Rejected(
          "person.personal-id.province",
          "personal ID "
              + personalId
              + " starts with "
              + province
              + ", which is not the code of one of the 63 provinces (001 Hà Nội … 096 Cà Mau)");
    }
    int centuryAndSex = personalId.charAt(3) - '0';
    if (centuryAndSex > 5) {
      return new MappingResult.Rejected(
          "person.personal-id.sex",
          "personal ID " + personalId + " has century-and-sex digit " + centuryAndSex + " (0-5)");
    }
    Sex encodedSex = centuryAndSex % 2 == 0 ? Sex.MALE : Sex.FEMALE;
    if ((sex == Sex.MALE || sex == Sex.FEMALE) && sex != encodedSex) {
      return new MappingResult.Rejected(
          "person.personal-id.sex",
          "personal ID "
              + personalId
              + " encodes sex "
              + encodedSex
              + " but the record says "
              + sex);
    }
    if (born == null) {
      return null;
    }
    int encodedYearStart =
        1900 + centuryAndSex / 2 * 100 + Integer.parseInt(personalId.substring(4, 6));
    if (born.getYear() != encodedYearStart) {
      return new MappingResult.Rejected(
          "person.personal-id.birth-year",
          "personal ID "
              + personalId
              + " encodes birth year "
              + encodedYearStart
              + " but the date of birth is "
              + born);
    }
    return null;
  }
}
