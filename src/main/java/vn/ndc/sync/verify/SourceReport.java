package vn.ndc.sync.verify;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The reconciliation of one agency source with the NDC store. */
public record SourceReport(
    String agency,
    String table,
    long sourceRows,
    Map<String, Long> rejectedByRule,
    long expected,
    long duplicateKeys,
    long ndcRows,
    List<String> missing,
    List<String> extra,
    List<String> different) {

  /** True when the store holds exactly the expected keys with the expected content. */
  public boolean agrees() {
    return missing.isEmpty() && extra.isEmpty() && different.isEmpty() && expected == ndcRows;
  }

  public long rejected() {
    return rejectedByRule.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Prints the counts, then up to {@code limit} keys of each kind of disagreement: masked, since a
   * person key is a personal or former ID and a console ends up in logs, unless {@code showKeys}.
   */
  public void print(PrintWriter out, int limit, boolean showKeys) {
    out.printf("source %s (%s)%n", agency, table);
    out.printf("  source rows            %d%n", sourceRows);
    out.printf("  rejected at source     %d%s%n", rejected(), rules());
    out.printf("  expected in NDC        %d%n", expected);
    if (duplicateKeys > 0) {
      out.printf("  keys on several rows   %d%n", duplicateKeys);
    }
    out.printf("  NDC rows               %d%n", ndcRows);
    out.printf("  missing keys           %d%n", missing.size());
    out.printf("  extra keys             %d%n", extra.size());
    out.printf("  different keys         %d%n", different.size());
    UnaryOperator<String> shown = showKeys ? UnaryOperator.identity() : SourceReport::masked;
    list(out, "missing", missing, limit, shown);
    list(out, "extra", extra, limit, shown);
    list(out, "different", different, limit, shown);
    out.printf("  result                 %s%n", agrees() ? "OK" : "MISMATCH");
  }

  private String rules() {
    if (rejectedByRule.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(" (");
    rejectedByRule.forEach(
        (rule, n) -> s.append(s.length() > 2 ? ", " : "").append(rule).append(' ').append(n));
    return s.append(')').toString();
  }

  /**
   * {@code key} with all but its first and last three characters starred, after any {@code kind:}
   * prefix: {@code 001******456}, {@code cmnd:012***678}; enough to tell keys apart.
   */
  static String masked(String key) {
    int colon = key.indexOf(':');
    String prefix = key.substring(0, colon + 1);
    String id = key.substring(colon + 1);
    if (id.length() <= 6) {
      return prefix + "*".repeat(id.length());
    }
    return prefix
        + id.substring(0, 3)
        + "*".repeat(id.length() - 6)
        + id.substring(id.length() - 3);
  }

  private static void list(
      PrintWriter out, String kind, List<String> keys, int limit, UnaryOperator<String> shown) {
    if (keys.isEmpty()) {
      return;
    }
    out.printf("  %s:%n", kind);
    keys.stream().limit(limit).forEach(k -> out.printf("    %s%n", shown.apply(k)));
    if (keys.size() > limit) {
      out.printf("    ... and %d more%n", keys.size() - limit);
    }
  }
}
