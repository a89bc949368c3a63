package vn.ndc.sync.deliver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of upserts holding one record per target row: the one the store's version guard would
 * leave in place had the batch's records been applied one after another. A multi-row {@code INSERT
 * … ON CONFLICT DO UPDATE} may not touch a row twice, so this is what lets the store's batches
 * become multi-row statements.
 */
final class LatestPerRow<IN> {

  /** Which row a record upserts, and which of two records for one row the guard keeps. */
  interface Rule<IN> extends Serializable {

    /** The row's conflict key. */
    Object row(IN record);

    /**
     * The one record whose upsert leaves the row as upserting {@code earlier} and then {@code
     * later} would, whatever the row held before.
     */
    IN after(IN earlier, IN later);
  }

  private final Rule<IN> rule;
  private final Map<Object, IN> byRow = new LinkedHashMap<>();

  LatestPerRow(Rule<IN> rule) {
    this.rule = rule;
  }

  void add(IN record) {
    byRow.merge(rule.row(record), record, rule::after);
  }

  int size() {
    return byRow.size();
  }

  /** The batch's records in the order their rows first appeared; the buffer is empty after. */
  List<IN> drain() {
    List<IN> batch = new ArrayList<>(byRow.values());
    byRow.clear();
    return batch;
  }
}
