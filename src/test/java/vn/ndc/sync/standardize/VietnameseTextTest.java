package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VietnameseTextTest {

  private static String nfd(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD);
  }

  @ParameterizedTest(name = "fold({0}) = {1}")
  @CsvSource({
    "'Nguyễn Văn Đức', 'nguyen van duc'",
    "'  NGUYỄN   thị  HOA ', 'nguyen thi hoa'",
    "'nguyen van duc', 'nguyen van duc'",
    "'Thành phố Hồ Chí Minh', 'thanh pho ho chi minh'",
    "'đường Lê Lợi', 'duong le loi'",
    "'Ưng Hoàng Phúc', 'ung hoang phuc'",
    "'', ''",
  })
  void foldsCaseDiacriticsAndSpacing(String input, String folded) {
    assertThat(VietnameseText.fold(input)).isEqualTo(folded);
    assertThat(VietnameseText.fold(nfd(input))).isEqualTo(folded);
  }

  @ParameterizedTest(name = "clean({0}) = {1}")
  @CsvSource({
    "'  Hà   Nội ', 'Hà Nội'",
    "'Hà\u00A0Nội', 'Hà Nội'",
    "'Hà\u200BNội\tx', 'HàNội x'",
    "'   ', ",
  })
  void cleansWhitespaceAndNormalizesToNfc(String input, String cleaned) {
    assertThat(VietnameseText.clean(input)).isEqualTo(cleaned);
    assertThat(VietnameseText.clean(input == null ? null : nfd(input))).isEqualTo(cleaned);
  }

  @ParameterizedTest(name = "capitalizeWords({0}) = {1}")
  @CsvSource({
    "'nguyễn văn an', 'Nguyễn Văn An'",
    "'ĐẶNG THỊ ÚT', 'Đặng Thị Út'",
    "'đỗ ưng', 'Đỗ Ưng'",
    "'h''hen niê', 'H''hen Niê'",
    "'lê-nguyễn minh', 'Lê-Nguyễn Minh'",
  })
  void capitalizesEachWord(String input, String expected) {
    assertThat(VietnameseText.capitalizeWords(input)).isEqualTo(expected);
  }

  // clean and fold skip their regular expressions for tidy text: same result as the full path.
  @ParameterizedTest(name = "fast path agrees on [{0}]")
  @CsvSource({
    "'Nguyễn Văn Đức'",
    "' Hà Nội'",
    "'Hà Nội '",
    "'Hà  Nội'",
    "'Hà\tNội'",
    "'Hà\u00A0Nội'",
    "'Hà\u202FNội\u2007x'",
    "'Hà\u200BNội'",
    "'Hà \u200C Nội'",
    "'soft\u00ADhyphen'",
    "'\uFEFFBOM'",
    "'x\u0001y'",
    "'\u0001x'",
    "'Phường 01, Quận Ba Đình, TP. Hà Nội'",
  })
  void fastPathsAgreeWithTheRegularExpressions(String input) {
    String nfc = Normalizer.normalize(input, Normalizer.Form.NFC);
    String cleaned = nfc.replaceAll("[\\u200B-\\u200D\\u2060\\uFEFF\\u00AD]", "");
    cleaned = cleaned.replaceAll("[\\s\\u00A0\\u2007\\u202F]+", " ").trim();
    assertThat(VietnameseText.clean(input)).isEqualTo(cleaned.isEmpty() ? null : cleaned);

    String folded =
        nfd(input)
            .replaceAll("[\\u200B-\\u200D\\u2060\\uFEFF\\u00AD]", "")
            .replaceAll("\\p{M}+", "")
            .replace('đ', 'd')
            .replace('Đ', 'D')
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[\\s\\u00A0\\u2007\\u202F]+", " ")
            .trim();
    assertThat(VietnameseText.fold(input)).isEqualTo(folded);
  }
}
