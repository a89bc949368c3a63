package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** province and commune-code transforms. */
class UnitCodeTransformsTest {

  @ParameterizedTest(name = "province({0}) = {1}")
  @CsvSource({"'TP.HCM', 79", "'Bình Dương', 79", "'74', 79", "'ha noi', 01", "'', "})
  void province(String input, String expected) throws Exception {
    assertThat(new ProvinceTransform().apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "commune-code({0}) = {1}")
  @CsvSource({"'00070', 00070", "'70', 00070", "'00001', 00097", "' ', "})
  void communeCode(String input, String expected) throws Exception {
    assertThat(new CommuneCodeTransform().apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "'Atlantis', province, unknown",
    "'99999', commune-code, unknown",
    "'00007', commune-code, ambiguous"
  })
  void unresolvedIsRejected(String input, String transform, String kind) {
    ValueTransform t =
        transform.equals("province") ? new ProvinceTransform() : new CommuneCodeTransform();
    assertThatThrownBy(() -> t.apply(input))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
