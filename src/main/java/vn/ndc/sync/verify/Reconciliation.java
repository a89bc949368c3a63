package vn.ndc.sync.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Compares what a source should produce with what the NDC store holds, key by key. */
public final class Reconciliation {

  private Reconciliation() {}

  /**
   * @param ndc content hash of every live NDC row attributed to this source, by person key
   */
  public static SourceReport compare(
      String agency, String table, ExpectedRows expected, Map<String, Long> ndc) {
    List<String> missing = new ArrayList<>();
    List<String> different = new ArrayList<>();
    for (Map.Entry<String, Long> e : expected.hashes().entrySet()) {
      Long actual = ndc.get(e.getKey());
      if (actual == null) {
        missing.add(e.getKey());
      } else if (!expected.matches(e.getKey(), actual)) {
        different.add(e.getKey());
      }
    }
    List<String> extra = new ArrayList<>();
    for (String key : ndc.keySet()) {
      if (!expected.hashes().containsKey(key)) {
        extra.add(key);
      }
    }
    Collections.sort(missing);
    Collections.sort(extra);
    Collections.sort(different);
    return new SourceReport(
        agency,
        table,
        expected.sourceRows(),
        expected.rejectedByRule(),
        expected.hashes().size(),
        expected.duplicateKeys(),
        ndc.size(),
        missing,
        extra,
        different);
  }
}
