package vn.ndc.sync.standardize;

import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.SourceChange;

/** The lineage every canonical record carries, read from the change that produced it. */
final class Lineages {

  private Lineages() {}

  static Lineage of(SourceChange change, String mappingVersion) {
    return Lineage.newBuilder()
        .setSourceAgency(change.getAgency())
        .setSourceDatabase(change.getDatabase())
        .setSourceTable(change.getTable())
        .setOperation(change.getOperation())
        .setSourcePosition(change.getPosition())
        .setSourceVersion(change.getVersion())
        .setSourceCommitTime(change.getCommitTime())
        .setIngestTime(change.getIngestTime())
        .setSchemaVersion(mappingVersion)
        .build();
  }
}
