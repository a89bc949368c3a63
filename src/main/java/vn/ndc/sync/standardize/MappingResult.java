package vn.ndc.sync.standardize;

import vn.ndc.sync.avro.Person;

/** Outcome of mapping one source row: a canonical record, or the rule it broke. */
public sealed interface MappingResult permits MappingResult.Mapped, MappingResult.Rejected {

  /** The row became a canonical person. */
  record Mapped(Person person) implements MappingResult {}

  /**
   * The row was rejected; it goes to the dead-letter topic with this rule and message.
   *
   * @param rule machine-readable rule name, e.g. person.personal-id.format
   */
  record Rejected(String rule, String message) implements MappingResult {}
}
