package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

/** Personal-ID consistency and address rules, through the civil-registry mapping. */
class PersonRulesTest {

  private final PersonMapper mapper =
      new PersonMapper(EntityMapping.load(EntityMappingTest.CIVIL_REGISTRY), PersonMapperTest.NOW);

  private MappingResult map(String personalId, String sex, String born) {
    Map<String, String> row = PersonMapperTest.validRow();
    row.put("so_dinh_danh", personalId);
    row.put("gioi_tinh", sex);
    row.put("ngay_sinh", born);
    return mapper.map(PersonMapperTest.change("u", row));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "001090012345, Nam, 17/05/1990", // Hà Nội, 1900s male
    "079195012345, Nữ, 01/01/1995", // Hồ Chí Minh City, 1900s female
    "002205000001, Nam, 2005-03-04", // Hà Giang (a pre-2025 code), 2000s male
    "096300000001, Nữ, 29/02/2000", // Cà Mau, 2000s female
    "001000000001, Nam, 01/01/1900",
    "001 090 012 345, Nam, 17/05/1990",
  })
  void consistentIdsPass(String personalId, String sex, String born) {
    assertThat(map(personalId, sex, born)).isInstanceOf(MappingResult.Mapped.class);
  }

  @ParameterizedTest(name = "{0} {1} {2} → {3}")
  @CsvSource({
    "003090012345, Nam, 17/05/1990, person.personal-id.province", // 03 was never a province
    "100090012345, Nam, 17/05/1990, person.personal-id.province",
    "097090012345, Nam, 17/05/1990, person.personal-id.province",
    "001190012345, Nam, 17/05/1990, person.personal-id.sex", // 1 = female
    "001090012345, Nữ, 17/05/1990, person.personal-id.sex",
    "001690012345, Nam, 17/05/1990, person.personal-id.sex", // no century digit 6
    "001091012345, Nam, 17/05/1990, person.personal-id.birth-year",
    "001290012345, Nam, 17/05/1990, person.personal-id.birth-year", // 2 = 2000s
    "001205012345, Nam, 17/05/1905, person.personal-id.birth-year",
  })
  void inconsistentIdsAreRejected(String personalId, String sex, String born, String rule) {
    assertThat(map(personalId, sex, born))
        .isInstanceOfSatisfying(
            MappingResult.Rejected.class,
            r -> {
              assertThat(r.rule()).isEqualTo(rule);
              assertThat(r.message()).contains(personalId.replace(" ", ""));
            });
  }

  @Test
  void unknownSexSkipsTheSexCheck() {
    EntityMapping mapping =
        EntityMapping.parse(
            "version: 1\nentity: Person\ntable: t\nfields:\n"
                + "  personalId: {column: id, transform: personal-id}\n"
                + "  sex: {column: sex, transform: code, codes: {'?': UNKNOWN}}\n",
            "test",
            "test.yaml");
    Person person =
        ((MappingResult.Mapped)
                new PersonMapper(mapping, PersonMapperTest.NOW)
                    .mapRow(
                        Map.of("id", "001190012345", "sex", "?"), PersonMapperTest.lineage("c")))
            .person();
    assertThat(person.getSex()).isEqualTo(Sex.UNKNOWN);
  }

  private static final String CODES_MAPPING =
      "version: 1\nentity: Person\ntable: t\nfields:\n"
          + "  personalId: {column: id, transform: personal-id}\n"
          + "  currentAddress.provinceCode: {column: ma_tinh, transform: province}\n"
          + "  currentAddress.communeCode: {column: ma_xa, transform: commune-code}\n"
          + "  permanentAddress.provinceCode: {column: tinh_tt, transform: text}\n"
          + "  permanentAddress.communeCode: {column: xa_tt, transform: text}\n";

  private MappingResult mapCodes(
      String province, String commune, String rawProvince, String rawCommune) {
    EntityMapping mapping = EntityMapping.parse(CODES_MAPPING, "test", "test.yaml");
    Map<String, String> row = new HashMap<>();
    row.put("id", "001090012345");
    row.put("ma_tinh", province);
    row.put("ma_xa", commune);
    row.put("tinh_tt", rawProvince);
    row.put("xa_tt", rawCommune);
    return new PersonMapper(mapping, PersonMapperTest.NOW)
        .mapRow(row, PersonMapperTest.lineage("c"));
  }

  @ParameterizedTest(name = "{0}/{1}, {2}/{3}")
  @CsvSource({
    "Hà Nội, 00070, 01, 00070",
    "01, 00001, 79, 26740", // old Phúc Xá code → 00097 Hồng Hà, in Hà Nội
    "TP.HCM, 26740, , ",
    ", 00070, , 00070",
  })
  void communeInItsProvincePasses(
      String province, String commune, String rawProvince, String rawCommune) {
    assertThat(mapCodes(province, commune, rawProvince, rawCommune))
        .isInstanceOf(MappingResult.Mapped.class);
  }

  @ParameterizedTest(name = "{0}/{1}, {2}/{3} → {4}")
  @CsvSource({
    "TP.HCM, 00070, , , person.current-address.commune-province",
    "Hà Nội, 00007, , , person.current-address.commune-code.ambiguous",
    ", , 01, 26740, person.permanent-address.commune-province",
    ", , 02, , person.permanent-address.province-unknown",
    ", , 01, 00001, person.permanent-address.commune-unknown",
  })
  void communeOutsideItsProvinceIsRejected(
      String province, String commune, String rawProvince, String rawCommune, String rule) {
    assertThat(mapCodes(province, commune, rawProvince, rawCommune))
        .isInstanceOfSatisfying(
            MappingResult.Rejected.class, r -> assertThat(r.rule()).isEqualTo(rule));
  }
}
