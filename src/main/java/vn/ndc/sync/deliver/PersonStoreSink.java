package vn.ndc.sync.deliver;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
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
  static final String UPSERT_PERSON =
      upsert(
          NdcTables.PERSON,
          List.of("sources", "match_method"),
          "person_key",
          "ndc.person.source_version < EXCLUDED.source_version");

  // A newer version of the row wins; the same version may change only its link (a record that
  // waited in review is resolved, or a demographic link is withdrawn), never its content — nor its
  // ingest time, so that a replay which passes a record through review leaves the row as it was.
  static final String UPSERT_SOURCE =
      keepIngestTimeOnSameVersion(
          upsert(
              NdcTables.PERSON_SOURCE,
              List.of("resolved_personal_id", "match_method"),
              "source_agency, person_key",
              "ndc.person_source.source_version < EXCLUDED.source_version"
                  + " OR (ndc.person_source.source_version = EXCLUDED.source_version AND"
                  + " (ndc.person_source.resolved_personal_id IS DISTINCT FROM"
                  + " EXCLUDED.resolved_personal_id"
                  + " OR ndc.person_source.match_method IS DISTINCT FROM EXCLUDED.match_method))"),
          NdcTables.PERSON_SOURCE);

  private static String keepIngestTimeOnSameVersion(String sql, String table) {
    return sql.replace(
        "ingest_time = EXCLUDED.ingest_time",
        "ingest_time = CASE WHEN "
            + table
            + ".source_version = EXCLUDED.source_version THEN "
            + table
            + ".ingest_time ELSE EXCLUDED.ingest_time END");
  }

  private static String upsert(String table, List<String> extra, String conflict, String guard) {
    List<String> columns = new ArrayList<>(COLUMNS);
    columns.addAll(extra);
    String placeholders = columns.stream().map(c -> "?").collect(Collectors.joining(","));
    columns.add("synced_at");
    String updates =
        columns.stream()
            .filter(c -> !List.of(conflict.split(",\\s*")).contains(c))
            .map(c -> c + " = EXCLUDED." + c)
            .collect(Collectors.joining(", "));
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + placeholders
        + ", clock_timestamp()) ON CONFLICT ("
        + conflict
        + ") DO UPDATE SET "
        + updates
        + " WHERE "
        + guard;
  }

  /** Where and how the sinks write. */
  public record Settings(
      String jdbcUrl, String user, String password, int batchSize, long intervalMs)
      implements java.io.Serializable {}

  /** Merged NDC persons, one row per citizen. */
  public static Sink<Person> persons(Settings s) {
    return create(s, UPSERT_PERSON, PersonStoreSink::bindPerson, Rows.MERGED);
  }

  /**
   * Agency records as the enrich stage last decided on them (see {@code
   * EnrichTopology.Result#sourceRecords}), one row per agency and person key.
   */
  public static Sink<Person> sourceRecords(Settings s) {
    return create(s, UPSERT_SOURCE, PersonStoreSink::bindSourceRecord, Rows.SOURCE);
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

  private static Sink<Person> create(
      Settings s, String sql, JdbcStatementBuilder<Person> binder, Rows rows) {
    return new RecoverableJdbcSink<>(
        JdbcSink.<Person>builder()
            .withQueryStatement(sql, binder)
            .withExecutionOptions(
                JdbcExecutionOptions.builder()
                    .withBatchSize(s.batchSize())
                    // RecoverableJdbcSink times the batches on the task's thread.
                    .withBatchIntervalMs(0)
                    .withMaxRetries(5)
                    .build())
            .buildAtLeastOnce(
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                    .withUrl(s.jdbcUrl())
                    .withDriverName("org.postgresql.Driver")
                    .withUsername(s.user())
                    .withPassword(s.password())
                    // A batch holds one version per row, so it may become multi-row INSERTs.
                    .withProperty("reWriteBatchedInserts", "true")
                    .build()),
        rows,
        s.batchSize(),
        s.intervalMs());
  }

  static void bindPerson(PreparedStatement st, Person p) throws SQLException {
    int i = bind(st, p, p.getPersonalId(), p.getDeleted());
    st.setArray(i++, st.getConnection().createArrayOf("text", p.getSources().toArray()));
    st.setString(i, p.getMatchMethod() == null ? null : p.getMatchMethod().name());
  }

  /**
   * A linked record carries the citizen's personal ID; the one the agency reported is its person
   * key when standardize keyed it by one (12 digits, not cmnd: or row:). A withdrawn link is an
   * unlinked live record again.
   */
  static void bindSourceRecord(PreparedStatement st, Person p) throws SQLException {
    boolean withdrawn = vn.ndc.sync.enrich.EnrichTopology.isWithdrawn(p);
    Link link = link(p);
    String key = p.getPersonKey();
    String reported = key.length() == 12 && key.chars().allMatch(Character::isDigit) ? key : null;
    // A linked record and its withdrawal both carry the citizen's ID in personalId; the row keeps
    // what the agency reported, which the key holds.
    boolean resolved = p.getMatchMethod() != null;
    int i = bind(st, p, resolved ? reported : p.getPersonalId(), !withdrawn && p.getDeleted());
    st.setString(i++, link.personalId());
    st.setString(i, link.method() == null ? null : link.method().name());
  }

  private static int bind(PreparedStatement st, Person p, String personalId, boolean deleted)
      throws SQLException {
    int i = 1;
    st.setString(i++, p.getPersonKey());
    st.setString(i++, personalId);
    st.setString(i++, p.getFormerId());
    st.setString(i++, p.getFullName());
    if (p.getDateOfBirth() == null) {
      st.setNull(i++, Types.DATE);
    } else {
      st.setDate(i++, Date.valueOf(p.getDateOfBirth()));
    }
    st.setString(i++, p.getSex() == null ? null : p.getSex().name());
    st.setString(i++, p.getNationality());
    st.setString(i++, p.getEthnicity());
    st.setString(i++, p.getPhone());
    i = bindAddress(st, i, p.getPermanentAddress());
    i = bindAddress(st, i, p.getCurrentAddress());
    st.setBoolean(i++, deleted);
    Lineage l = p.getLineage();
    st.setString(i++, l.getSourceAgency());
    st.setString(i++, l.getSourceDatabase());
    st.setString(i++, l.getSourceTable());
    st.setString(i++, l.getOperation());
    st.setString(i++, l.getSourcePosition());
    st.setLong(i++, l.getSourceVersion());
    st.setTimestamp(i++, Timestamp.from(l.getSourceCommitTime()));
    st.setTimestamp(i++, Timestamp.from(l.getIngestTime()));
    st.setString(i++, l.getSchemaVersion());
    return i;
  }

  private static int bindAddress(PreparedStatement st, int i, Address a) throws SQLException {
    st.setString(i++, a == null ? null : a.getProvinceCode());
    st.setString(i++, a == null ? null : a.getCommuneCode());
    st.setString(i++, a == null ? null : a.getStreetLine());
    st.setString(i++, a == null ? null : a.getOriginalText());
    return i;
  }
}
