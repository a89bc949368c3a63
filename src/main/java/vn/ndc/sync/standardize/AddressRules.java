package vn.ndc.sync.standardize;

import vn.ndc.sync.avro.Address;

/** Checks that an address's codes are 2025 units and that its commune lies in its province. */
final class AddressRules {

  private AddressRules() {}

  /**
   * @param field the canonical field, e.g. permanentAddress, for the rule name
   * @return the first broken rule, or null
   */
  static MappingResult.Rejected check(String field, Address address, AdminUnits units) {
    if (address == null) {
      return null;
    }
    String province = address.getProvinceCode();
    String commune = address.getCommuneCode();
    if (province != null && units.province(province).isEmpty()) {
      return reject(
          field, "province-unknown", "province code " + province + " is not a 2025 province");
    }
    if (commune == null) {
      return null;
    }
    AdminUnits.Commune known = units.commune(commune).orElse(null);
    if (known == null) {
      return reject(field, "commune-unknown", "commune code " + commune + " is not a 2025 commune");
    }
    if (province != null && !known.provinceCode().equals(province)) {
      return reject(
          field,
          "commune-province",
          "commune "
              + commune
              + " ("
              + known.type()
              + " "
              + known.name()
              + ") belongs to province "
              + known.provinceCode()
              + ", not "
              + province);
    }
    return null;
  }

  private static MappingResult.Rejected reject(String field, String kind, String message) {
    return new MappingResult.Rejected(
        RuleNames.forField("Person", field, kind), field + ": " + message);
  }
}
