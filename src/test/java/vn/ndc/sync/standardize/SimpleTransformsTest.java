package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** text, person-name, personal-id, former-id and phone: transforms without options. */
class SimpleTransformsTest {

  @ParameterizedTest(name = "text({0}) = {1}")
  @CsvSource({
    "'  Kinh ', 'Kinh'",
    "'Số 12,   ngõ 5', 'Số 12, ngõ 5'",
    "'   ', ",
  })
  void text(String input, String expected) throws Exception {
    assertThat(new TextTransform().apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "person-name({0}) = {1}")
  @CsvSource({
    "'nguyễn văn an', 'Nguyễn Văn An'",
    "'  TRẦN   THỊ   BÍCH  ', 'Trần Thị Bích'",
    "'đinh công TRÁNG', 'Đinh Công Tráng'",
    "'Y Blốk Êban', 'Y Blốk Êban'",
  })
  void personName(String input, String expected) throws Exception {
    assertThat(new PersonNameTransform().apply(input)).isEqualTo(expected);
    // The same name typed on a keyboard that sends decomposed characters.
    String nfd = Normalizer.normalize(input, Normalizer.Form.NFD);
    String mapped = (String) new PersonNameTransform().apply(nfd);
    assertThat(mapped).isEqualTo(expected);
    assertThat(Normalizer.isNormalized(mapped, Normalizer.Form.NFC)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"123", "---", "1990"})
  void personNameWithoutLettersIsRejected(String input) {
    assertThatThrownBy(() -> new PersonNameTransform().apply(input))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo("format"));
  }

  @ParameterizedTest(name = "personal-id({0}) = {1}")
  @CsvSource({
    "'001090012345', '001090012345'",
    "' 001 090 012 345 ', '001090012345'",
    "'001.090.012.345', '001090012345'",
    "'012345678', '012345678'",
  })
  void personalId(String input, String expected) throws Exception {
    assertThat(new PersonalIdTransform().apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"00109001234", "0010900123456", "00109001234A", "0123456789"})
  void malformedPersonalIdIsRejected(String input) {
    assertThatThrownBy(() -> new PersonalIdTransform().apply(input))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo("format"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void emptyValuesAreNull(String input) throws Exception {
    assertThat(new PersonalIdTransform().apply(input)).isNull();
    assertThat(new FormerIdTransform().apply(input)).isNull();
    assertThat(new PhoneTransform().apply(input)).isNull();
    assertThat(new PersonNameTransform().apply(input)).isNull();
    assertThat(new TextTransform().apply(input)).isNull();
  }

  @ParameterizedTest(name = "former-id({0}) = {1}")
  @CsvSource({"'012345678', '012345678'", "'012 345 678', '012345678'"})
  void formerId(String input, String expected) throws Exception {
    assertThat(new FormerIdTransform().apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"01234567", "001090012345", "01234567X"})
  void malformedFormerIdIsRejected(String input) {
    assertThatThrownBy(() -> new FormerIdTransform().apply(input))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo("format"));
  }

  @ParameterizedTest(name = "phone({0}) = {1}")
  @CsvSource({
    "'0912 345 678', '+84912345678'",
    "'0912345678', '+84912345678'",
    "'84912345678', '+84912345678'",
    "'+84 912 345 678', '+84912345678'",
    "'+84912345678', '+84912345678'",
    "'0084 912 345 678', '+84912345678'",
    "'091.234.5678', '+84912345678'",
    "'(+84) 35-123-4567', '+84351234567'",
    "'024 3825 1234', '+842438251234'",
    "'+84 (0) 912 345 678', '+84912345678'",
  })
  void phone(String input, String expected) throws Exception {
    assertThat(new PhoneTransform().apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "912345678",
        "091234567",
        "09123456789",
        "0112345678",
        "1900 1234",
        "abc",
        "+1 415 555 0100"
      })
  void invalidPhoneIsRejected(String input) {
    assertThatThrownBy(() -> new PhoneTransform().apply(input))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo("format"));
  }
}
