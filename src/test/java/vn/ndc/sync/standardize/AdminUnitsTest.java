package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.ndc.sync.standardize.AdminUnits.Commune;
import vn.ndc.sync.standardize.AdminUnits.CommuneMatch;

class AdminUnitsTest {

  private final AdminUnits units = AdminUnits.get();

  @Test
  void holdsThe2025UnitsAndThe63OldProvinces() {
    assertThat(units.province("79"))
        .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("Hồ Chí Minh"));
    assertThat(units.commune("00070")).contains(new Commune("00070", "Hoàn Kiếm", "Phường", "01"));
    assertThat(units.isPre2025ProvinceCode("02")).isTrue(); // Hà Giang, merged into Tuyên Quang
    assertThat(units.province("02")).isEmpty();
    assertThat(units.isPre2025ProvinceCode("03")).isFalse();
    assertThat(AdminUnits.get()).isSameAs(units);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "'TP.HCM', 79",
    "'TP. HCM', 79",
    "'Tp Ho Chi Minh', 79",
    "'Thành phố Hồ Chí Minh', 79",
    "'thanh pho ho chi minh', 79",
    "'TPHCM', 79",
    "'Sài Gòn', 79",
    "'Hà Nội', 01",
    "'Thành phố Hà Nội', 01",
    "'HN', 01",
    "'ha noi', 01",
    "'01', 01",
    // pre-2025 provinces resolve to the 2025 province they were merged into
    "'Tỉnh Hà Giang', 08",
    "'02', 08",
    "'Bình Dương', 79",
    "'74', 79",
    "'Bà Rịa - Vũng Tàu', 79",
    "'Bà Rịa Vũng Tàu', 79",
    "'Thừa Thiên Huế', 46",
    "'Kon Tum', 51",
    // spelling variants
    "'Thanh Hóa', 38",
    "'Thanh Hoá', 38",
    "'Đăk Lăk', 66",
    "'Daklak', 66",
  })
  void findsProvinceFromText(String text, String code) {
    assertThat(units.findProvince(text))
        .hasValueSatisfying(p -> assertThat(p.code()).isEqualTo(code));
    String nfd = Normalizer.normalize(text, Normalizer.Form.NFD);
    assertThat(units.findProvince(nfd))
        .hasValueSatisfying(p -> assertThat(p.code()).isEqualTo(code));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Hà", "Mars", "03", "100", ""})
  void unknownProvinceIsEmpty(String text) {
    assertThat(units.findProvince(text)).isEmpty();
  }

  @ParameterizedTest(name = "{1} ({2}), {0} → {3}")
  @CsvSource({
    // 2025 communes by name, in any spelling
    "Hà Nội, Phường Hoàn Kiếm, , 00070",
    "Hà Nội, hoan kiem, , 00070",
    "Hà Nội, P. Hoàn Kiếm, , 00070",
    "Hà Nội, 00070, , 00070",
    // pre-2025 communes that went into a single 2025 commune
    "Hà Nội, Phường Phúc Xá, Quận Ba Đình, 00097",
    "Hà Nội, Phúc Xá, , 00097",
    "Hà Nội, 00001, , 00097",
    "TP.HCM, Phường Bến Nghé, Quận 1, 26740",
    "Tp Ho Chi Minh, phuong ben nghe, quan 1, 26740",
    "TP.HCM, Phường 1, Quận 3, 27154",
    "TP.HCM, P.01, Q.3, 27154",
    "Hà Giang, Xã Lũng Cú, , 00715",
    "Tuyên Quang, Lũng Cú, , 00715",
  })
  void findsCommune(String province, String commune, String district, String code) {
    assertThat(units.findCommune(province, commune, district))
        .isInstanceOfSatisfying(
            CommuneMatch.Found.class, f -> assertThat(f.commune().code()).isEqualTo(code));
  }

  @ParameterizedTest(name = "{1} ({2}), {0} → one of {3}")
  @CsvSource({
    // Cống Vị (Ba Đình) was split between Ngọc Hà and Giảng Võ
    "Hà Nội, Phường Cống Vị, Quận Ba Đình, 00008 00025",
    "Hà Nội, Cong Vi, , 00008 00025",
    "Hà Nội, 00007, , 00008 00025",
    // with a district the address is pre-2025: the old Ngọc Hà, which was split
    "Hà Nội, Phường Ngọc Hà, Quận Ba Đình, 00004 00008",
  })
  void splitCommuneIsAmbiguousWithItsCandidates(
      String province, String commune, String district, String codes) {
    assertThat(units.findCommune(province, commune, district))
        .isInstanceOfSatisfying(
            CommuneMatch.Ambiguous.class,
            a ->
                assertThat(a.candidates())
                    .extracting(Commune::code)
                    .containsExactlyInAnyOrder(codes.split(" ")));
  }

  @Test
  void withoutADistrictA2025NameWins() {
    assertThat(units.findCommune("Hà Nội", "Phường Ngọc Hà", null))
        .isEqualTo(new CommuneMatch.Found(new Commune("00008", "Ngọc Hà", "Phường", "01")));
  }

  @ParameterizedTest(name = "{1} in {0} is not found")
  @CsvSource({"Hà Nội, Phường Bến Nghé", "Hà Nội, 26740", "Mars, Hoàn Kiếm", "Hà Nội, ''"})
  void communeOutsideTheProvinceIsNotFound(String province, String commune) {
    assertThat(units.findCommune(province, commune, null))
        .isInstanceOf(CommuneMatch.NotFound.class);
  }

  @ParameterizedTest(name = "code {0}")
  @CsvSource({"00070, 00070", "00001, 00097", "26740, 26740"})
  void communeByCodeReadsNewCodesFirstThenOld(String code, String expected) {
    assertThat(units.communeByCode(code))
        .isInstanceOfSatisfying(
            CommuneMatch.Found.class, f -> assertThat(f.commune().code()).isEqualTo(expected));
  }
}
