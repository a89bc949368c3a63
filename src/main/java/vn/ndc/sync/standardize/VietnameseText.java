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

  private VietnameseText() {}

  /** NFC, invisible characters removed, whitespace collapsed and trimmed; null when blank. */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    // Most values are already tidy: skip the regular expressions (the standardize hot path).
    if (isTidy(nfc)) {
      return nfc.isEmpty() ? null : nfc;
    }
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
    String plain =
        unmarked(decomposed).replace('đ', 'd').replace('Đ', 'D').toLowerCase(Locale.ROOT);
    return isTidy(plain) ? plain : SPACES.matcher(plain).replaceAll(" ").trim();
  }

  /** The text without combining marks ({@code \p{M}}) and invisible characters. */
  private static String unmarked(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isMark(cp) || isInvisible(cp)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
      } else if (out != null) {
        out.append(text, i, next);
      }
      i = next;
    }
    return out == null ? text : out.toString();
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean isInvisible(int c) {
    return (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF' || c == '\u00AD';
  }

  /**
   * True when {@link #clean}'s replacements would change nothing: no invisible characters, no
   * whitespace but single inner spaces, nothing {@link String#trim} removes at either end.
   */
  static boolean isTidy(String text) {
    int n = text.length();
    if (n == 0) {
      return true;
    }
    if (text.charAt(0) <= ' ' || text.charAt(n - 1) <= ' ') {
      return false;
    }
    char previous = 'x';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == ' ') {
        if (previous == ' ') {
          return false;
        }
      } else if (c == '\t'
          || c == '\n'
          || c == '\u000B'
          || c == '\f'
          || c == '\r'
          || c == '\u00A0'
          || c == '\u2007'
          || c == '\u202F'
          || isInvisible(c)) {
        return false;
      }
      previous = c;
    }
    return true;
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
