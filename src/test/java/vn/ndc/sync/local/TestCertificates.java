package vn.ndc.sync.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for TLS tests, made with the JDK's keytool. A self-signed certificate is
 * its own CA, so its PEM is what clients trust.
 */
public final class TestCertificates {

  /** Password of every keystore made here; test-only. */
  public static final String PASSWORD = "ndc-test-only";

  private TestCertificates() {}

  /**
   * A key pair for 127.0.0.1 and localhost in a PKCS12 {@code keystore}, and its certificate as PEM
   * in {@code certificatePem}.
   */
  public static void selfSigned(Path keystore, Path certificatePem)
      throws IOException, InterruptedException {
    selfSigned(keystore, certificatePem, "127.0.0.1");
  }

  /**
   * As {@link #selfSigned(Path, Path)}, with subject {@code CN=<commonName>}: a client certificate
   * whose principal is {@code User:CN=<commonName>} to a Kafka broker.
   */
  public static void selfSigned(Path keystore, Path certificatePem, String commonName)
      throws IOException, InterruptedException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=" + commonName,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificatePem.toString());
  }

  /** A PKCS12 truststore holding {@code certificatePem}, for clients that take no PEM. */
  public static void truststore(Path certificatePem, Path truststore)
      throws IOException, InterruptedException {
    run(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        certificatePem.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        PASSWORD);
  }

  /** The keystore's private key as an unencrypted PKCS#8 PEM, as PostgreSQL reads it. */
  public static void privateKeyPem(Path keystore, Path pem)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    Key key = store.getKey("server", PASSWORD.toCharArray());
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    Files.writeString(
        pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }
}
