package vn.ndc.sync.schemas;

import java.util.Map;
import java.util.Optional;
import vn.ndc.sync.config.PersonSyncOptions;

/**
 * The registry subject of each published schema: the one place that says which {@code .avsc} in
 * avro-schemas/ is held by which subject.
 *
 * <p>Subjects follow the topic-name strategy of the serdes ({@code <topic>-value}) with the topics'
 * default names. Schemas without a subject are not published on their own: Address and Lineage are
 * nested in Person, SourceChange and RawRecord stay inside the Flink job, and the entities that
 * have no topic yet.
 */
public final class SchemaSubjects {

  private static final Map<String, String> BY_RECORD =
      Map.of(
          "vn.ndc.sync.avro.Person",
          PersonSyncOptions.PERSON_TOPIC.defaultValue() + "-value",
          "vn.ndc.sync.avro.AnalystPerson",
          PersonSyncOptions.PERSON_ANALYST_TOPIC.defaultValue() + "-value",
          "vn.ndc.sync.avro.DeadLetter",
          PersonSyncOptions.DEAD_LETTER_TOPIC.defaultValue() + "-value",
          "vn.ndc.sync.avro.PersonReview",
          PersonSyncOptions.REVIEW_TOPIC.defaultValue() + "-value");

  private SchemaSubjects() {}

  /** The subject of the record with this full name, when it is published. */
  public static Optional<String> of(String recordFullName) {
    return Optional.ofNullable(BY_RECORD.get(recordFullName));
  }
}
