package vn.ndc.sync.standardize;

import java.util.Collection;
import java.util.Locale;

/** Suggests the column a misspelled column name probably meant. */
final class ColumnNames {

  private static final int MAX_TYPOS = 2;

  private ColumnNames() {}

  /** The closest actual column within two edits (ignoring case), or null. */
  static String closest(String wanted, Collection<String> actual) {
    String best = null;
    int bestDistance = MAX_TYPOS + 1;
    for (String candidate : actual) {
      int distance = distance(wanted.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
