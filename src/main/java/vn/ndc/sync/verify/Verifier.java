package vn.ndc.sync.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.MappingResult;
import vn.ndc.sync.standardize.PersonMapper;

/**
 * Reconciles agency source tables with the NDC store's per-agency records ({@code
 * ndc.person_source}).
 */
public final class Verifier {

  private static final int FETCH_SIZE = 2000;

  /** One agency source: its mapping and where its table lives. */
  public record Source(String agency, EntityMapping mapping, JdbcEndpoint endpoint) {}

  private final JdbcEndpoint store;

  public Verifier(JdbcEndpoint store) {
    this.store = store;
  }

  /** Reads the source table and the store, and compares them. */
  public SourceReport verify(Source source) throws SQLException {
    ExpectedRows expected;
    try (Connection src = source.endpoint().connect()) {
      expected = expected(src, source.agency(), source.mapping());
    }
    Map<String, Long> ndc;
    try (Connection c = store.connect()) {
      ndc = ndcHashes(c, source.agency());
    }
    return Reconciliation.compare(source.agency(), source.mapping().table(), expected, ndc);
  }

  /** Maps every row of the mapping's table as the pipeline would map its snapshot read. */
  public static ExpectedRows expected(Connection src, String agency, EntityMapping mapping)
      throws SQLException {
    PersonMapper mapper = new PersonMapper(mapping);
    Instant now = Instant.now();
    Lineage lineage =
        Lineage.newBuilder()
            .setSourceAgency(agency)
            .setSourceDatabase(src.getCatalog() == null ? "" : src.getCatalog())
            .setSourceTable(mapping.table())
            .setOperation("r")
            .setSourcePosition("verify")
            .setSourceVersion(0L)
            .setSourceCommitTime(now)
            .setIngestTime(now)
            .setSchemaVersion(mapping.version())
            .build();
    ExpectedRows expected = new ExpectedRows();
    boolean autoCommit = src.getAutoCommit();
    // PostgreSQL streams a result set with a fetch size only inside a transaction.
    src.setAutoCommit(false);
    try (Statement st = src.createStatement()) {
      st.setFetchSize(FETCH_SIZE);
      try (ResultSet rs = st.executeQuery("SELECT * FROM " + mapping.table())) {
        while (rs.next()) {
          MappingResult result = mapper.mapRow(JdbcText.row(rs), lineage);
          if (result instanceof MappingResult.Mapped mapped) {
            expected.mapped(
                mapped.person().getPersonKey(), CanonicalContent.of(mapped.person()).hash());
          } else {
            expected.rejected(((MappingResult.Rejected) result).rule());
          }
        }
      }
    } finally {
      src.rollback();
      src.setAutoCommit(autoCommit);
    }
    return expected;
  }

  /** Content hash of every live NDC person whose current version came from {@code agency}. */
  public static Map<String, Long> ndcHashes(Connection ndc, String agency) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    boolean autoCommit = ndc.getAutoCommit();
    ndc.setAutoCommit(false);
    try (PreparedStatement st =
        ndc.prepareStatement(
            "SELECT "
                + String.join(", ", CanonicalContent.COLUMNS)
                + " FROM "
                + NdcTables.PERSON_SOURCE
                + " WHERE NOT deleted AND source_agency = ?")) {
      st.setFetchSize(FETCH_SIZE);
      st.setString(1, agency);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString("person_key"), CanonicalContent.of(rs).hash());
        }
      }
    } finally {
      ndc.rollback();
      ndc.setAutoCommit(autoCommit);
    }
    return out;
  }
}
