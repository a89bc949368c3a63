package vn.ndc.sync.deliver;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Sink;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;

/**
 * Upserts persons into the NDC store: merged persons into {@value NdcTables#PERSON}, agency records
 * into {@value NdcTables#PERSON_SOURCE}. Each upsert is guarded by version, so a redelivered or
 * older change never overwrites a newer one and replaying a topic changes nothing.
 */
public final class PersonStoreSink {

  private PersonStoreSink() {}

  /** Columns every person row has, in bind order. */
  static final List<String> COLUMNS =
      java.util.stream.Stream.concat(
              NdcTables.PERSON_CONTENT_COLUMNS.stream(),
              java.util.stream.Stream.of(
                  "deleted",
                  "source_agency",
                  "source_database",
                  "source_table",
                  "source_operation",
                  "source_position",
                  "source_version",
                  "source_commit_time",
                  "ingest_time",
                  "schema_version"))
          .toList();

  // The merge version rises with every emission for a person.
  static final StagedUpsert<Person> UPSERT_PERSON =
      upsert(
          NdcTables.PERSON,
          List.of("sources", "match_method"),
          "person_key",
          "ndc.person.source_version < EXCLUDED.source_version",
          PersonStoreSink::encodePerson);

  // A newer version of the row wins; the same version may change only its link (a record that
  // waited in review is resolved, or a demographic link is withdrawn), never its content — nor its
  // ingest time, so that a replay which passes a record through review leaves the row as it was.
  static final StagedUpsert<Person> UPSERT_SOURCE =
      upsert(
          NdcTables.PERSON_SOURCE,
          List.of("resolved_personal_id", "match_method"),
          "source_agency, person_key",
          "ndc.person_source.source_version < EXCLUDED.source_version"
              + " OR (ndc.person_source.source_version = EXCLUDED.source_version AND"
              + " (ndc.person_source.resolved_personal_id IS DISTINCT FROM"
              + " EXCLUDED.resolved_personal_id"
              + " OR ndc.person_source.match_method IS DISTINCT FROM EXCLUDED.match_method))",
          PersonStoreSink::encodeSourceRecord);

  private static StagedUpsert<Person> upsert(
      String table,
      List<String> extra,
      String conflict,
      String guard,
      StagedUpsert.Encoder<Person> encoder) {
    List<String> columns = new ArrayList<>(COLUMNS);
    columns.addAll(extra);
    List<String> keys = List.of(conflict.split(",\\s*"));
    List<String> updated = new ArrayList<>(columns);
    updated.add("synced_at");
    String set =
        updated.stream()
            .filter(c -> !keys.contains(c))
            .map(c -> c + " = " + updateOf(table, c))
            .collect(Collectors.joining(", "));
    return new StagedUpsert<>(table, columns, conflict, set, guard, encoder);
  }

  private static String updateOf(String table, String column) {
    if (column.equals("ingest_time") && table.equals(NdcTables.PERSON_SOURCE)) {
      // The same version keeps the row's ingest time (see UPSERT_SOURCE).
      return "CASE WHEN "
          + table
          + ".source_version = EXCLUDED.source_version THEN "
          + table
          + ".ingest_time ELSE EXCLUDED.ingest_time END";
    }
    return "EXCLUDED." + column;
  }

  /** Where and how the sinks write. */
  public record Settings(
      String jdbcUrl, String user, String password, int batchSize, long intervalMs)
      implements java.io.Serializable {

    /** Without the password, and without the URL's query string, which may hold one too. */
    @Override
    public String toString() {
      return "Settings[jdbcUrl="
          + vn.ndc.sync.config.JdbcUrl.withoutQuery(jdbcUrl)
          + ", user="
          + user
          + ", batchSize="
          + batchSize
          + ", intervalMs="
          + intervalMs
          + "]";
    }
  }

  /** Merged NDC persons, one row per citizen. */
  public static Sink<Person> persons(Settings s) {
    return create(s, UPSERT_PERSON, Rows.MERGED);
  }

  /**
   * Agency records as the enrich stage last decided on them (see {@code
   * EnrichTopology.Result#sourceRecords}), one row per agency and person key.
   */
  public static Sink<Person> sourceRecords(Settings s) {
    return create(s, UPSERT_SOURCE, Rows.SOURCE);
  }

  /** The rows of the two tables, and which of two versions of a row each table's guard keeps. */
  enum Rows implements LatestPerRow.Rule<Person> {
    MERGED {
      @Override
      public Object row(Person p) {
        return p.getPersonKey();
      }

      @Override
      public Person after(Person earlier, Person later) {
        return version(later) > version(earlier) ? later : earlier;
      }
    },
    SOURCE {
      @Override
      public Object row(Person p) {
        return new SourceRow(p.getLineage().getSourceAgency(), p.getPersonKey());
      }

      @Override
      public Person after(Person earlier, Person later) {
        if (version(later) > version(earlier)) {
          return later;
        }
        if (version(later) < version(earlier) || link(later).equals(link(earlier))) {
          return earlier;
        }
        // The same version with another link: the guard takes the new link but keeps the row's
        // ingest time, which is the earlier record's if it was applied.
        return Person.newBuilder(later)
            .setLineage(
                Lineage.newBuilder(later.getLineage())
                    .setIngestTime(earlier.getLineage().getIngestTime())
                    .build())
            .build();
      }
    };

    private static long version(Person p) {
      return p.getLineage().getSourceVersion();
    }
  }

  private record SourceRow(String agency, String personKey) {}

  /** What a source row's link columns hold: the citizen it is linked to, and how. */
  record Link(String personalId, MatchMethod method) {
    static final Link NONE = new Link(null, null);
  }

  /** A withdrawn link is an unlinked live record again. */
  static Link link(Person p) {
    boolean linked =
        p.getMatchMethod() != null && !vn.ndc.sync.enrich.EnrichTopology.isWithdrawn(p);
    return linked ? new Link(p.getPersonalId(), p.getMatchMethod()) : Link.NONE;
  }

  private static Sink<Person> create(Settings s, StagedUpsert<Person> upsert, Rows rows) {
    return new RecoverableJdbcSink<>(
        s, upsert, rows, p -> p.getLineage().getSourceCommitTime().toEpochMilli());
  }

  static void encodePerson(CopyText row, Person p) {
    encode(row, p, p.getPersonalId(), p.getDeleted());
    row.textArray(p.getSources());
    row.text(p.getMatchMethod() == null ? null : p.getMatchMethod().name());
  }

  /**
   * A linked record carries the citizen's personal ID; the one the agency reported is its person
   * key when standardize keyed it by one (12 digits, not cmnd: or row:). A withdrawn link is an
   * unlinked live record again.
   */
  static void encodeSourceRecord(CopyText row, Person p) {
    boolean withdrawn = vn.ndc.sync.enrich.EnrichTopology.isWithdrawn(p);
    Link link = link(p);
    String key = p.getPersonKey();
    String reported = key.length() == 12 && key.chars().allMatch(Character::isDigit) ? key : null;
    // A linked record and its withdrawal both carry the citizen's ID in personalId; the row keeps
    // what the agency reported, which the key holds.
    boolean resolved = p.getMatchMethod() != null;
    encode(row, p, resolved ? reported : p.getPersonalId(), !withdrawn && p.getDeleted());
    row.text(link.personalId());
    row.text(link.method() == null ? null : link.method().name());
  }

  private static void encode(CopyText row, Person p, String personalId, boolean deleted) {
    row.text(p.getPersonKey())
        .text(personalId)
        .text(p.getFormerId())
        .text(p.getFullName())
        .date(p.getDateOfBirth())
        .text(p.getSex() == null ? null : p.getSex().name())
        .text(p.getNationality())
        .text(p.getEthnicity())
        .text(p.getPhone());
    encodeAddress(row, p.getPermanentAddress());
    encodeAddress(row, p.getCurrentAddress());
    Lineage l = p.getLineage();
    row.bool(deleted)
        .text(l.getSourceAgency())
        .text(l.getSourceDatabase())
        .text(l.getSourceTable())
        .text(l.getOperation())
        .text(l.getSourcePosition())
        .number(l.getSourceVersion())
        .timestamp(l.getSourceCommitTime())
        .timestamp(l.getIngestTime())
        .text(l.getSchemaVersion());
  }

  private static void encodeAddress(CopyText row, Address a) {
    row.text(a == null ? null : a.getProvinceCode())
        .text(a == null ? null : a.getCommuneCode())
        .text(a == null ? null : a.getStreetLine())
        .text(a == null ? null : a.getOriginalText());
  }
}
