package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcUrlTest {

  private static final String STORE = "jdbc:postgresql://ndc-postgres:5432/ndc";

  @TempDir Path dir;

  private Path ca() throws Exception {
    return Files.writeString(dir.resolve("store ca.crt"), "-----BEGIN CERTIFICATE-----\n");
  }

  @Test
  void aPlainUrlPassesUnchanged() {
    assertThat(JdbcUrl.checkStore(STORE, "store.jdbc-url")).isEqualTo(STORE);
  }

  @Test
  void verifyFullWithAReadableCaPasses() throws Exception {
    // The space is URL-encoded, as pgjdbc decodes it.
    String url = STORE + "?sslmode=verify-full&sslrootcert=" + ca().toString().replace(" ", "%20");

    assertThat(JdbcUrl.checkStore(url, "store.jdbc-url")).isEqualTo(url);
  }

  @Test
  void aUrlOfAnotherDatabaseIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> JdbcUrl.checkStore("jdbc:mariadb://db:3306/ndc", "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.jdbc-url must be a PostgreSQL JDBC URL");
  }

  @Test
  void anUnknownModeIsRefused() {
    assertThatThrownBy(() -> JdbcUrl.checkStore(STORE + "?sslmode=verify", "--store"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--store: sslmode=verify is not one of");
  }

  @Test
  void aVerifyingModeWithoutACaFileIsRefused() {
    assertThatThrownBy(() -> JdbcUrl.checkStore(STORE + "?sslmode=verify-full", "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs sslrootcert");
  }

  @Test
  void sslTrueAloneVerifiesAsPgjdbcDoesAndSoNeedsACaFile() {
    assertThatThrownBy(() -> JdbcUrl.checkStore(STORE + "?ssl=true", "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sslmode=verify-full needs sslrootcert");
  }

  @Test
  void aCaFileThatIsNotThereIsRefused() {
    String url = STORE + "?sslmode=verify-full&sslrootcert=" + dir.resolve("missing.crt");

    assertThatThrownBy(() -> JdbcUrl.checkStore(url, "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.jdbc-url sslrootcert")
        .hasMessageContaining("is not a readable file");
  }

  @Test
  void aCaFileWithAModeThatMayFallBackToPlainTextIsRefused() throws Exception {
    String url = STORE + "?sslrootcert=" + ca().toString().replace(" ", "%20");

    assertThatThrownBy(() -> JdbcUrl.checkStore(url, "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sslmode=prefer can connect without TLS");
  }

  @Test
  void aUrlIsShownWithoutItsQuery() {
    assertThat(JdbcUrl.withoutQuery(STORE + "?user=ndc&password=secret")).isEqualTo(STORE);
  }
}
