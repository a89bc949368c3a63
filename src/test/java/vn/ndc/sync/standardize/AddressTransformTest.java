package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.ndc.sync.avro.Address;

class AddressTransformTest {

  private final AddressTransform keep = new AddressTransform(false, null);
  private final AddressTransform reject = new AddressTransform(true, null);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          Số 12, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội | 01 | 00070 | Số 12, phố Hàng Bạc
          Số 12, Hàng Bạc, P. Hoàn Kiếm, Thành phố Hà Nội, Việt Nam | 01 | 00070 | Số 12, Hàng Bạc
          so 12 pho hang bac, phuong hoan kiem, ha noi | 01 | 00070 | so 12 pho hang bac
          12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM | 79 | 26740 | 12 Lê Lợi
          12 Lê Lợi, P. Bến Nghé, Q.1, Tp Ho Chi Minh | 79 | 26740 | 12 Lê Lợi
          12 Lê Lợi, Bến Nghé, Quận 1, Thành phố Hồ Chí Minh | 79 | 26740 | 12 Lê Lợi
          12 Lê Lợi, Phường Sài Gòn, TP.HCM | 79 | 26740 | 12 Lê Lợi
          45 Võ Văn Tần, Phường 6, Quận 3, TP. Hồ Chí Minh | 79 | - | 45 Võ Văn Tần
          Thôn 3, Xã Lũng Cú, Huyện Đồng Văn, Tỉnh Hà Giang | 08 | 00715 | Thôn 3
          Số 5 ngõ 10 Đội Cấn, Phúc Xá, Ba Đình, Hà Nội | 01 | 00097 | Số 5 ngõ 10 Đội Cấn
          Phường Hoàn Kiếm, Hà Nội | 01 | 00070 | -
          Số 1, Phường Ba Đình, Hà Nội | 01 | 00004 | Số 1
          Số 1, Ba Đình, Hà Nội | 01 | 00004 | Số 1
          Hà Nội | 01 | - | -
          Số 1, Phường Không Có, Hà Nội | 01 | - | Số 1
          Số 1, đường Láng, Hà Nội | 01 | - | Số 1, đường Láng
          """)
  void parsesAndStandardizesTo2025Units(String text, String province, String commune, String street)
      throws Exception {
    Address expected = new Address(province, commune, street, text);
    assertThat(keep.apply(text)).isEqualTo(expected);
    // Decomposed input standardizes the same way and keeps the original in NFC.
    assertThat(keep.apply(Normalizer.normalize(text, Normalizer.Form.NFD))).isEqualTo(expected);
  }

  @Test
  void splitCommuneIsLeftWithoutACodeNotGuessed() throws Exception {
    String text = "Số 3, Phường Cống Vị, Quận Ba Đình, Hà Nội";
    assertThat(keep.apply(text)).isEqualTo(new Address("01", null, "Số 3", text));
  }

  @Test
  void splitCommuneIsRejectedWithItsCandidatesWhenUnresolvedRejects() {
    assertThatThrownBy(() -> reject.apply("Số 3, Phường Cống Vị, Quận Ba Đình, Hà Nội"))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.kind()).isEqualTo("commune-ambiguous");
              assertThat(e.getMessage())
                  .contains("00008 Phường Ngọc Hà")
                  .contains("00025 Phường Giảng Võ");
            });
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "'Số 1, Phường Không Có, Hà Nội', commune-unknown",
    "'Số 1, Atlantis', province-unknown",
  })
  void unresolvedUnitsAreRejectedWhenUnresolvedRejects(String text, String kind) {
    assertThatThrownBy(() -> reject.apply(text))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @Test
  void unknownProvinceKeepsOnlyTheOriginalText() throws Exception {
    assertThat(keep.apply("Số 1, Atlantis"))
        .isEqualTo(new Address(null, null, null, "Số 1, Atlantis"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'Số 1, Phường Bến Nghé, Quận 1', 79, 26740, 'Số 1'",
    "'Số 1, Phường Sài Gòn', 79, 26740, 'Số 1'",
    "'Số 1, Phường Hoàn Kiếm, Hà Nội', 01, 00070, 'Số 1'",
  })
  void defaultProvinceCoversAddressesWithoutOne(
      String text, String province, String commune, String street) throws Exception {
    assertThat(new AddressTransform(false, "TP.HCM").apply(text))
        .isEqualTo(new Address(province, commune, street, text));
  }

  @Test
  void defaultProvinceMustExist() {
    assertThatThrownBy(() -> new AddressTransform(false, "Atlantis"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Atlantis");
  }

  @Test
  void blankIsNull() throws Exception {
    assertThat(keep.apply("  ")).isNull();
    assertThat(keep.apply(null)).isNull();
  }
}
