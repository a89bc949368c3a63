package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodeTransformTest {

  private final CodeTransform sex =
      new CodeTransform(Map.of("Nam", "MALE", "Nữ", "FEMALE", "1", "MALE", "0", "FEMALE"), null);
  private final CodeTransform nationality =
      new CodeTransform(Map.of("Việt Nam", "VN", "VN", "VN"), "VN");

  @ParameterizedTest(name = "sex({0}) = {1}")
  @CsvSource({
    "'Nam', 'MALE'",
    "'NAM', 'MALE'",
    "' nam ', 'MALE'",
    "'Nữ', 'FEMALE'",
    "'nữ', 'FEMALE'",
    "'NỮ', 'FEMALE'",
    "'Nu', 'FEMALE'",
    "'1', 'MALE'",
    "'0', 'FEMALE'",
    "'', ",
  })
  void looksUpIgnoringCaseAndDiacritics(String input, String expected) throws Exception {
    assertThat(sex.apply(input)).isEqualTo(expected);
    assertThat(sex.apply(Normalizer.normalize(input, Normalizer.Form.NFD))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "nationality({0}) = {1}")
  @CsvSource({"'Việt Nam', 'VN'", "'viet nam', 'VN'", "'VIỆT   NAM', 'VN'", "'', 'VN'", ", 'VN'"})
  void defaultFillsEmptyValues(String input, String expected) throws Exception {
    assertThat(nationality.apply(input)).isEqualTo(expected);
  }

  @Test
  void unknownValueIsRejectedNotDefaulted() {
    assertThatThrownBy(() -> nationality.apply("Lào"))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.kind()).isEqualTo("code");
              assertThat(e.getMessage()).contains("Lào");
            });
  }

  @Test
  void sourceValuesThatFoldTogetherMustAgree() {
    Map<String, String> clash = new LinkedHashMap<>();
    clash.put("Nữ", "FEMALE");
    clash.put("nu", "MALE");
    assertThatThrownBy(() -> new CodeTransform(clash, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be told apart");
  }
}
