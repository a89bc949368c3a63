package vn.ndc.sync.deliver;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;

/**
 * Upserts canonical persons into {@code ndc.person}. The upsert is guarded by source order, so a
 * redelivered or older change never overwrites a newer one and replaying a topic changes nothing.
 */
public final class PersonStoreSink {

  private PersonStoreSink() {}

  // Same source: its log position orders changes. Another source: the later commit wins.
  static final String UPSERT =
      "INSERT INTO ndc.person (person_key, personal_id, former_id, full_name, date_of_birth, sex,"
          + " nationality, ethnicity, phone, permanent_province_code, permanent_commune_code,"
          + " permanent_street_line, permanent_address_text, current_province_code,"
          + " current_commune_code, current_street_line, current_address_text, deleted,"
          + " source_agency, source_database, source_table, source_operation, source_position,"
          + " source_version, source_commit_time, ingest_time, schema_version, synced_at)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, clock_timestamp())"
          + " ON CONFLICT (person_key) DO UPDATE SET personal_id = EXCLUDED.personal_id,"
          + " former_id = EXCLUDED.former_id, full_name = EXCLUDED.full_name,"
          + " date_of_birth = EXCLUDED.date_of_birth, sex = EXCLUDED.sex,"
          + " nationality = EXCLUDED.nationality, ethnicity = EXCLUDED.ethnicity,"
          + " phone = EXCLUDED.phone, permanent_province_code = EXCLUDED.permanent_province_code,"
          + " permanent_commune_code = EXCLUDED.permanent_commune_code,"
          + " permanent_street_line = EXCLUDED.permanent_street_line,"
          + " permanent_address_text = EXCLUDED.permanent_address_text,"
          + " current_province_code = EXCLUDED.current_province_code,"
          + " current_commune_code = EXCLUDED.current_commune_code,"
          + " current_street_line = EXCLUDED.current_street_line,"
          + " current_address_text = EXCLUDED.current_address_text, deleted = EXCLUDED.deleted,"
          + " source_agency = EXCLUDED.source_agency, source_database = EXCLUDED.source_database,"
          + " source_table = EXCLUDED.source_table, source_operation = EXCLUDED.source_operation,"
          + " source_position = EXCLUDED.source_position,"
          + " source_version = EXCLUDED.source_version,"
          + " source_commit_time = EXCLUDED.source_commit_time,"
          + " ingest_time = EXCLUDED.ingest_time, schema_version = EXCLUDED.schema_version,"
          + " synced_at = EXCLUDED.synced_at"
          + " WHERE (ndc.person.source_agency = EXCLUDED.source_agency"
          + "        AND ndc.person.source_version < EXCLUDED.source_version)"
          + "    OR (ndc.person.source_agency <> EXCLUDED.source_agency"
          + "        AND ndc.person.source_commit_time < EXCLUDED.source_commit_time)";

  /** A JDBC sink writing batches of {@code batchSize} rows at least every {@code intervalMs}. */
  public static Sink<Person> create(
      String jdbcUrl, String user, String password, int batchSize, long intervalMs) {
    return new RecoverableJdbcSink<>(
        JdbcSink.<Person>builder()
            .withQueryStatement(UPSERT, PersonStoreSink::bind)
            .withExecutionOptions(
                JdbcExecutionOptions.builder()
                    .withBatchSize(batchSize)
                    .withBatchIntervalMs(intervalMs)
                    .withMaxRetries(5)
                    .build())
            .buildAtLeastOnce(
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                    .withUrl(jdbcUrl)
                    .withDriverName("org.postgresql.Driver")
                    .withUsername(user)
                    .withPassword(password)
                    .build()));
  }

  static void bind(PreparedStatement st, Person p) throws SQLException {
    int i = 1;
    st.setString(i++, p.getPersonKey());
    st.setString(i++, p.getPersonalId());
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
    st.setBoolean(i++, p.getDeleted());
    Lineage l = p.getLineage();
    st.setString(i++, l.getSourceAgency());
    st.setString(i++, l.getSourceDatabase());
    st.setString(i++, l.getSourceTable());
    st.setString(i++, l.getOperation());
    st.setString(i++, l.getSourcePosition());
    st.setLong(i++, l.getSourceVersion());
    st.setTimestamp(i++, Timestamp.from(l.getSourceCommitTime()));
    st.setTimestamp(i++, Timestamp.from(l.getIngestTime()));
    st.setString(i, l.getSchemaVersion());
  }

  private static int bindAddress(PreparedStatement st, int i, Address a) throws SQLException {
    st.setString(i++, a == null ? null : a.getProvinceCode());
    st.setString(i++, a == null ? null : a.getCommuneCode());
    st.setString(i++, a == null ? null : a.getStreetLine());
    st.setString(i++, a == null ? null : a.getOriginalText());
    return i;
  }
}
