package vn.ndc.sync.deliver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Pseudonyms of identifiers for analysts, computed as the store's analyst views compute them
 * (ndc-store.sql): hex SHA-256 of the store's secret followed by the identifier in UTF-8. Not
 * thread-safe.
 */
public final class Pseudonyms {

  private final byte[] secret;
  // One per instance, reused for every record: getInstance looks the algorithm up each time.
  private final MessageDigest sha256;

  private Pseudonyms(byte[] secret) {
    this.secret = secret.clone();
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Pseudonyms under {@code secret}. */
  public static Pseudonyms withSecret(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("a pseudonym secret needs at least 16 bytes");
    }
    return new Pseudonyms(secret);
  }

  /** Pseudonyms under the secret the NDC store keeps in {@code ndc.pseudonym_key}. */
  public static Pseudonyms ofStore(PersonStoreSink.Settings store) {
    try (Connection c =
            DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT secret FROM ndc.pseudonym_key")) {
      if (!rs.next()) {
        throw new IllegalStateException(
            "the NDC store has no pseudonym secret (ndc.pseudonym_key is empty); the job creates"
                + " it at start");
      }
      return withSecret(rs.getBytes(1));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the pseudonym secret from the NDC store at "
              + vn.ndc.sync.config.JdbcUrl.withoutQuery(store.jdbcUrl())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The pseudonym of {@code identifier}; not for concurrent use (each writer has its own). */
  public String of(String identifier) {
    sha256.reset();
    sha256.update(secret);
    return HexFormat.of().formatHex(sha256.digest(identifier.getBytes(StandardCharsets.UTF_8)));
  }
}
