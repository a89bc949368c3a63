package vn.ndc.sync.standardize;

import java.io.Serializable;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.SourceChange;

/**
 * Maps one row of the population database to a canonical {@link Citizen} with a mapping whose
 * entity is Citizen: the same declarative fields and transforms as an agency's Person mapping.
 *
 * <p>The personal ID is the population's key: a row without a 12-digit one is rejected (rule
 * citizen.personal-id.missing). A delete is mapped leniently, like a Person delete.
 */
public final class CitizenMapper implements Serializable {

  private static final long serialVersionUID = 1L;

  /** A citizen, or the rule the row broke and why. */
  public record Result(Citizen citizen, String rule, String message) {
    static Result rejected(String rule, String message) {
      return new Result(null, rule, message);
    }
  }

  private final EntityMapping mapping;

  public CitizenMapper(EntityMapping mapping) {
    if (!"Citizen".equals(mapping.entity())) {
      throw new IllegalArgumentException(
          mapping.origin() + " maps entity " + mapping.entity() + ", not Citizen");
    }
    this.mapping = mapping;
  }

  /** Maps a change read from a raw topic; lineage comes from the change. */
  public Result map(SourceChange change) {
    return mapRow(change.getRow(), Lineages.of(change, mapping.version()));
  }

  /** Maps a row of column values; the lineage's operation decides whether it is a delete. */
  public Result mapRow(Map<String, String> row, Lineage lineage) {
    boolean delete = "d".equals(lineage.getOperation());
    Citizen citizen = new Citizen();
    citizen.setDeleted(delete);
    citizen.setLineage(lineage);
    for (FieldMapping field : mapping.fields()) {
      String path = field.field().path();
      if (field.missingFrom(row) && !delete) {
        return Result.rejected("citizen.source.column-missing", field.missingColumnMessage());
      }
      Object value;
      try {
        value = field.transform().apply(row.get(field.column()));
      } catch (InvalidValueException e) {
        if (delete && !path.equals("personalId")) {
          continue;
        }
        return Result.rejected(
            RuleNames.forField(mapping.entity(), path, e.kind()),
            path + " (column " + field.column() + "): " + e.getMessage());
      }
      if (value != null) {
        set(citizen, field.field(), value);
      }
    }
    String id = citizen.getPersonalId();
    if (id == null || id.length() != 12) {
      return Result.rejected(
          "citizen.personal-id.missing",
          "a citizen needs a 12-digit personal ID; column "
              + columnOf("personalId")
              + " holds "
              + (id == null ? "nothing" : id));
    }
    if (!delete) {
      for (String required : mapping.required()) {
        if (citizen.get(required.split("\\.")[0]) == null) {
          return Result.rejected(
              "citizen.required." + required,
              required + " is required but column " + columnOf(required) + " is empty");
        }
      }
    }
    return new Result(citizen, null, null);
  }

  private String columnOf(String path) {
    return mapping.fields().stream()
        .filter(f -> f.field().path().equals(path) || f.field().parent().equals(path))
        .map(FieldMapping::column)
        .findFirst()
        .orElse("?");
  }

  private static void set(Citizen citizen, CanonicalField target, Object value) {
    if (target.child() == null) {
      citizen.put(target.parent(), target.toFieldValue(value));
      return;
    }
    Object existing = citizen.get(target.parent());
    SpecificRecordBase nested;
    if (existing != null) {
      nested = (SpecificRecordBase) existing;
    } else {
      Schema recordSchema =
          citizen.getSchema().getField(target.parent()).schema().getTypes().stream()
              .filter(s -> s.getType() == Schema.Type.RECORD)
              .findFirst()
              .orElseThrow();
      nested =
          (SpecificRecordBase)
              SpecificData.getForClass(Citizen.class).newRecord(null, recordSchema);
      citizen.put(target.parent(), nested);
    }
    nested.put(target.child(), target.toFieldValue(value));
  }

  /** The mapping this mapper applies. */
  public EntityMapping mapping() {
    return mapping;
  }
}
