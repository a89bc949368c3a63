package vn.ndc.sync.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.deliver.PersonStoreSink;

/** Passwords given in a JDBC URL or beside it stay out of messages and printed settings. */
class JdbcEndpointTest {

  private static final String URL = "jdbc:nosuchdb://agency:3306/db?user=u&password=s3cret";

  @Test
  void aUrlNoDriverTakesIsReportedWithoutItsQueryString() {
    assertThatThrownBy(() -> new JdbcEndpoint(URL, null, null).connect())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("jdbc:nosuchdb://agency:3306/db")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void printedEndpointsAndStoreSettingsHoldNoPassword() {
    assertThat(new JdbcEndpoint(URL, "u", "other-secret").toString())
        .contains("jdbc:nosuchdb://agency:3306/db", "user=u")
        .doesNotContain("s3cret", "other-secret");
    assertThat(new PersonStoreSink.Settings(URL, "u", "other-secret", 500, 50).toString())
        .contains("jdbc:nosuchdb://agency:3306/db", "user=u", "batchSize=500")
        .doesNotContain("s3cret", "other-secret");
  }
}
