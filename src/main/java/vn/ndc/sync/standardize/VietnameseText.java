package vn.ndc.sync.standardize;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Unicode clean-up and diacritics folding for Vietnamese text as agencies store it. */
public final class VietnameseText {

  private static final Locale VIETNAMESE = Locale.forLanguageTag("vi");
  // Sources paste from word processors: non-breaking and zero-width characters are common.
  private static final Pattern INVISIBLE =
      Pattern.compile("[\\u200B-\\u200D\\u2060\\uFEFF\\u00AD]");
  private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2007\\u202F]+");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private VietnameseText() {}

  /** NFC, invisible characters removed, whitespace collapsed and trimmed; null when blank. */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    String cleaned = SPACES.matcher(INVISIBLE.matcher(nfc).replaceAll("")).replaceAll(" ").trim();
    return cleaned.isEmpty() ? null : cleaned;
  }

  /**
   * Matching key: no diacritics, đ as d, lower case, single spaces. "Nguyễn Văn ĐỨC" and "nguyen
   * van duc" fold to the same key. Returns "" for null or blank input.
   */
  public static String fold(String text) {
    if (text == null) {
      return "";
    }
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
    String unmarked = MARKS.matcher(INVISIBLE.matcher(decomposed).replaceAll("")).replaceAll("");
    String plain = unmarked.replace('đ', 'd').replace('Đ', 'D').toLowerCase(Locale.ROOT);
    return SPACES.matcher(plain).replaceAll(" ").trim();
  }

  /** Each word lower-cased and its first letter upper-cased; hyphenated parts count as words. */
  public static String capitalizeWords(String cleanText) {
    String lower = cleanText.toLowerCase(VIETNAMESE);
    StringBuilder out = new StringBuilder(lower.length());
    boolean wordStart = true;
    for (int i = 0; i < lower.length(); ) {
      int cp = lower.codePointAt(i);
      if (wordStart && Character.isLetter(cp)) {
        // Title case, not upper case: matters for digraph code points.
        out.appendCodePoint(Character.toTitleCase(cp));
        wordStart = false;
      } else {
        out.appendCodePoint(cp);
        if (cp == ' ' || cp == '-') {
          wordStart = true;
        } else if (Character.isLetter(cp)) {
          wordStart = false;
        }
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
