package vn.ndc.sync.verify;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one source table should produce in the NDC store: per person key, the content hash of the
 * standardized row, and how many rows the mapping rejects (those are dead-lettered, not stored).
 */
public final class ExpectedRows {

  private final Map<String, Long> hashes = new HashMap<>();
  // Several source rows with one key: the store holds the newest, which the hashes cannot tell,
  // so any of them is accepted.
  private final Map<String, long[]> duplicates = new HashMap<>();
  private final Map<String, Long> rejectedByRule = new TreeMap<>();
  private long sourceRows;

  /** A source row the mapping turned into a person with this key and content hash. */
  public void mapped(String key, long hash) {
    sourceRows++;
    Long previous = hashes.putIfAbsent(key, hash);
    if (previous != null) {
      long[] known = duplicates.get(key);
      long[] grown;
      if (known == null) {
        grown = new long[] {previous, hash};
      } else {
        grown = java.util.Arrays.copyOf(known, known.length + 1);
        grown[known.length] = hash;
      }
      duplicates.put(key, grown);
    }
  }

  /** A source row the mapping rejected with {@code rule}. */
  public void rejected(String rule) {
    sourceRows++;
    rejectedByRule.merge(rule, 1L, Long::sum);
  }

  public long sourceRows() {
    return sourceRows;
  }

  public long rejected() {
    return rejectedByRule.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> rejectedByRule() {
    return rejectedByRule;
  }

  /** Keys expected in the store, each once. */
  public Map<String, Long> hashes() {
    return hashes;
  }

  /** Number of keys that more than one source row maps to. */
  public long duplicateKeys() {
    return duplicates.size();
  }

  /** True when {@code hash} is the content of (one of) the source rows of {@code key}. */
  public boolean matches(String key, long hash) {
    long[] candidates = duplicates.get(key);
    if (candidates == null) {
      Long expected = hashes.get(key);
      return expected != null && expected == hash;
    }
    for (long candidate : candidates) {
      if (candidate == hash) {
        return true;
      }
    }
    return false;
  }
}
