package vn.ndc.sync.standardize;

import java.io.Serializable;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.SourceChange;

/**
 * Maps one source row to a canonical {@link Person} with an {@link EntityMapping}, then applies the
 * required-field and data-quality rules.
 *
 * <p>The key: {@code personKey} is the 12-digit personal ID; a person known only by a former
 * 9-digit ID card number gets {@code cmnd:<number>} so the enrich stage can attach the personal ID
 * later; a row with neither gets {@code row:<sourceKey>} when the mapping maps {@code sourceKey}
 * (the enrich stage links it by name, date of birth, sex and province), else it is rejected
 * (person.key.missing).
 *
 * <p>A delete carries the row before the change, often only its key columns: it is mapped leniently
 * (no required-field or quality rules, unparseable non-key values left out), but a delete without a
 * usable key is rejected.
 */
public final class PersonMapper implements Serializable {

  private static final long serialVersionUID = 1L;
  static final String FORMER_ID_KEY_PREFIX = "cmnd:";
  static final String ROW_KEY_PREFIX = "row:";
  private static final String PERSONAL_ID = "personalId";
  private static final String FORMER_ID = "formerId";

  private final EntityMapping mapping;
  private final PersonRules rules;

  public PersonMapper(EntityMapping mapping) {
    this(mapping, Clock.systemUTC());
  }

  PersonMapper(EntityMapping mapping, Clock clock) {
    if (!"Person".equals(mapping.entity())) {
      throw new IllegalArgumentException(
          mapping.origin() + " maps entity " + mapping.entity() + ", not Person");
    }
    this.mapping = mapping;
    this.rules = new PersonRules(clock, mapping.zone());
  }

  /** Maps a change read from a raw topic; lineage comes from the change. */
  public MappingResult map(SourceChange change) {
    return mapRow(change.getRow(), Lineages.of(change, mapping.version()));
  }

  /**
   * Maps a row of column values (null values allowed). The lineage's schemaVersion is replaced by
   * the mapping version; its operation decides whether the row is a delete.
   */
  public MappingResult mapRow(Map<String, String> row, Lineage lineage) {
    boolean delete = "d".equals(lineage.getOperation());
    Map<String, Object> values = new LinkedHashMap<>();
    for (FieldMapping field : mapping.fields()) {
      String path = field.field().path();
      boolean keyField = path.equals(PERSONAL_ID) || path.equals(FORMER_ID);
      if (!row.containsKey(field.column()) && field.emptyIfAbsent()) {
        continue;
      }
      if (field.missingFrom(row) && !delete) {
        // A column dropped or renamed at the source must not silently empty the field for every
        // record: the agency has to notice and either restore the column or change the mapping.
        return new MappingResult.Rejected(
            "person.source.column-missing", field.missingColumnMessage());
      }
      String raw = row.get(field.column());
      try {
        Object value = field.transform().apply(raw);
        if (value != null) {
          values.put(path, value);
        }
      } catch (InvalidValueException e) {
        if (!delete || keyField) {
          return new MappingResult.Rejected(
              RuleNames.forField(mapping.entity(), path, e.kind()),
              path + " (column " + field.column() + "): " + e.getMessage());
        }
      }
    }
    boolean movedFormerId = values.get(PERSONAL_ID) instanceof String id && id.length() == 9;
    MappingResult.Rejected idProblem = moveFormerIdOutOfPersonalId(values);
    if (idProblem != null) {
      return idProblem;
    }
    if (!delete) {
      MappingResult.Rejected missing = checkRequired(values);
      if (missing != null) {
        if (missing.rule().equals("person.required." + PERSONAL_ID)
            && values.get(FORMER_ID) != null
            && !values.containsKey(PERSONAL_ID)
            && movedFormerId) {
          // "is empty" would send the agency looking for a blank column that is not blank.
          return new MappingResult.Rejected(
              missing.rule(),
              "personalId is required but "
                  + columnsOf(PERSONAL_ID)
                  + " holds the 9-digit former ID card number "
                  + values.get(FORMER_ID)
                  + " (moved to formerId)");
        }
        return missing;
      }
    }
    String key = personKey(values);
    if (key == null) {
      return new MappingResult.Rejected(
          "person.key.missing",
          (delete ? "delete" : "row")
              + " has neither a personal ID nor a former ID card number to key it by"
              + " (map sourceKey to the table's primary key to keep such rows, for linking by"
              + " name, date of birth, sex and province)");
    }
    Person person = build(values, key, delete, lineage);
    if (!delete) {
      MappingResult.Rejected broken = rules.check(person);
      if (broken != null) {
        return broken;
      }
    }
    return new MappingResult.Mapped(person);
  }

  // Agencies that never migrated keep the 9-digit CMND in the personal ID column.
  private static MappingResult.Rejected moveFormerIdOutOfPersonalId(Map<String, Object> values) {
    Object personalId = values.get(PERSONAL_ID);
    if (!(personalId instanceof String id) || id.length() != 9) {
      return null;
    }
    values.remove(PERSONAL_ID);
    Object formerId = values.get(FORMER_ID);
    if (formerId != null && !formerId.equals(id)) {
      return new MappingResult.Rejected(
          "person.former-id.conflict",
          "the personal ID column holds former ID "
              + id
              + " but the former ID column holds "
              + formerId);
    }
    values.put(FORMER_ID, id);
    return null;
  }

  private static String personKey(Map<String, Object> values) {
    Object personalId = values.get(PERSONAL_ID);
    if (personalId != null) {
      return (String) personalId;
    }
    Object formerId = values.get(FORMER_ID);
    if (formerId != null) {
      return FORMER_ID_KEY_PREFIX + formerId;
    }
    Object sourceKey = values.get("sourceKey");
    return sourceKey == null ? null : ROW_KEY_PREFIX + sourceKey;
  }

  private MappingResult.Rejected checkRequired(Map<String, Object> values) {
    for (String required : mapping.required()) {
      boolean present =
          values.keySet().stream()
              .anyMatch(path -> path.equals(required) || path.startsWith(required + "."));
      if (!present) {
        return new MappingResult.Rejected(
            "person.required." + required,
            required + " is required but " + columnsOf(required) + " is empty");
      }
    }
    return null;
  }

  private String columnsOf(String canonical) {
    return mapping.fields().stream()
        .filter(f -> f.field().path().equals(canonical) || f.field().parent().equals(canonical))
        .map(f -> "column " + f.column())
        .distinct()
        .reduce((a, b) -> a + ", " + b)
        .orElse("its column");
  }

  private Lineage withSchemaVersion(Lineage lineage) {
    // A change read from a raw topic already carries this mapping's version (Lineages.of).
    return mapping.version().equals(lineage.getSchemaVersion())
        ? lineage
        : Lineage.newBuilder(lineage).setSchemaVersion(mapping.version()).build();
  }

  private Person build(Map<String, Object> values, String key, boolean delete, Lineage lineage) {
    Person person =
        Person.newBuilder()
            .setPersonKey(key)
            .setDeleted(delete)
            .setLineage(withSchemaVersion(lineage))
            .build();
    // Whole nested records first, so a sub-field mapping can refine what a whole-record
    // transform (address) produced.
    for (FieldMapping field : mapping.fields()) {
      CanonicalField target = field.field();
      Object value = values.get(target.path());
      if (target.child() == null && value != null) {
        person.put(target.parent(), target.toFieldValue(value));
      }
    }
    for (FieldMapping field : mapping.fields()) {
      CanonicalField target = field.field();
      Object value = values.get(target.path());
      if (target.child() != null && value != null) {
        nestedRecord(person, target).put(target.child(), target.toFieldValue(value));
      }
    }
    // formerId may come from the personal ID column without a formerId mapping of its own.
    person.setFormerId((String) values.get(FORMER_ID));
    person.setPersonalId((String) values.get(PERSONAL_ID));
    return person;
  }

  private static SpecificRecordBase nestedRecord(Person person, CanonicalField target) {
    Object existing = person.get(target.parent());
    if (existing != null) {
      return (SpecificRecordBase) existing;
    }
    Schema union = person.getSchema().getField(target.parent()).schema();
    Schema recordSchema =
        union.getTypes().stream()
            .filter(s -> s.getType() == Schema.Type.RECORD)
            .findFirst()
            .orElseThrow();
    SpecificRecordBase record =
        (SpecificRecordBase) SpecificData.getForClass(Person.class).newRecord(null, recordSchema);
    person.put(target.parent(), record);
    return record;
  }

  /** The mapping this mapper applies. */
  public EntityMapping mapping() {
    return mapping;
  }
}
