package vn.ndc.sync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalPostgres;

/** Waits for rows of the NDC store that a test's changes should produce. */
public final class StoreRows {

  private StoreRows() {}

  /**
   * The {@code ndc.person_source} row of {@code agency} with {@code personalId}, column by column,
   * once {@code ready} holds for it; fails after 2 minutes.
   */
  public static Map<String, Object> awaitSourceRow(
      LocalPostgres store, String agency, String personalId, Predicate<Map<String, Object>> ready)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      try (Connection c = store.connect(LocalPipeline.NDC_DATABASE);
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM "
                      + NdcTables.PERSON_SOURCE
                      + " WHERE source_agency = ? AND personal_id = ?")) {
        ps.setString(1, agency);
        ps.setString(2, personalId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            Map<String, Object> row = new HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
            }
            if (ready.test(row)) {
              return row;
            }
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        personalId + " did not reach " + NdcTables.PERSON_SOURCE + " for agency " + agency);
  }
}
