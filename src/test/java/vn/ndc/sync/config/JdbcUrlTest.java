package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlTest {

  private static final String STORE = "jdbc:postgresql://ndc-postgres:5432/ndc";

  @TempDir Path dir;

  private Path ca() throws Exception {
    return Files.writeString(dir.resolve("store ca.crt"), "-----BEGIN CERTIFICATE-----\n");
  }

  @Test
  void aPlainUrlToThisMachinePassesUnchanged() {
    for (String url :
        List.of(
            "jdbc:postgresql://localhost:5432/ndc",
            "jdbc:postgresql://127.0.0.1:5432/ndc?user=ndc",
            "jdbc:postgresql://[::1]:5432/ndc",
            "jdbc:postgresql:ndc",
            "jdbc:postgresql:ndc?options=a//b",
            "jdbc:postgresql:///ndc")) {
      assertThat(JdbcUrl.checkStore(url, "store.jdbc-url")).isEqualTo(url);
    }
  }

  @Test
  void aServerElsewhereWithoutVerifiedTlsIsRefusedNamingTheFix() {
    assertThatThrownBy(() -> JdbcUrl.checkStore(STORE, "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.jdbc-url: ndc-postgres is not this machine")
        .hasMessageContaining("sslmode=prefer may connect in plain text")
        .hasMessageContaining("sslmode=verify-full&sslrootcert=");
    assertThatThrownBy(() -> JdbcUrl.checkStore(STORE + "?sslmode=require", "--store"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sslmode=require does not check the server's certificate");
  }

  @Test
  void everyServerOfAMultiHostUrlMustBeThisMachineOrVerified() {
    String url = "jdbc:postgresql://localhost:5432,[2001:db8::7]:5432/ndc?sslmode=disable";

    assertThatThrownBy(() -> JdbcUrl.checkStore(url, "store.jdbc-url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("2001:db8::7 is not this machine");
  }

  @Test
  void aMariaDbSourceElsewhereNeedsAVerifyingSslMode() {
    String plain = "jdbc:mariadb://insurance:3306/health_insurance?user=r&password=p";

    assertThatThrownBy(() -> JdbcUrl.checkSource(plain, "--source health-insurance"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--source health-insurance: insurance is not this machine")
        .hasMessageContaining("sslMode=disable connects in plain text")
        .hasMessageNotContaining("password=p");
    assertThatThrownBy(() -> JdbcUrl.checkSource(plain + "&sslMode=trust", "--source h"))
        .hasMessageContaining("sslMode=trust does not check the server's certificate");
    for (String mode : List.of("verify-full", "VERIFY_IDENTITY", "verify-ca")) {
      assertThat(JdbcUrl.checkSource(plain + "&sslMode=" + mode, "--source h")).endsWith(mode);
    }
    String local = "jdbc:mariadb://127.0.0.1:3306/health_insurance";
    assertThat(JdbcUrl.checkSource(local, "--source h")).isEqualTo(local);
    assertThatThrownBy(
            () ->
                JdbcUrl.checkSource(
                    "jdbc:mariadb:replication://address=(host=db1)(port=3306),localhost/x",
                    "--source h"))
        .hasMessageContaining("db1 is not this machine");
  }

  @Test
  void aPostgresSourceIsCheckedLikeTheStore() {
    assertThatThrownBy(
            () -> JdbcUrl.checkSource("jdbc:postgresql://civil:5432/civil_registry", "--source c"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--source c: civil is not this machine");
    assertThatThrownBy(() -> JdbcUrl.checkSource("jdbc:oracle:thin:@db:1521/x", "--source c"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--source c must be a PostgreSQL or MariaDB JDBC URL");
  }

  // verify-ca is enough for a server elsewhere: it is what a port-forward to another name needs.
  @ParameterizedTest
  @ValueSource(strings = {"verify-full", "verify-ca"})
  void aVerifyingModeWithAReadableCaPasses(String mode) throws Exception {
    // The space is URL-encoded, as pgjdbc decodes it.
    String url = STORE + "?sslmode=" + mode + "&sslrootcert=" + ca().toString().replace(" ", "%20");

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
