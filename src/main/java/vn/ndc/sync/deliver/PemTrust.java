package vn.ndc.sync.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS context that trusts exactly the CA certificates of one PEM file. */
public final class PemTrust {

  private PemTrust() {}

  /**
   * An HTTP client (10 s connect timeout) that trusts only the CA certificates in {@code pem}, or
   * the JVM's CAs when it is null; host names are checked as for any HTTPS request.
   */
  public static java.net.http.HttpClient httpClient(Path pem) {
    java.net.http.HttpClient.Builder builder =
        java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10));
    if (pem != null) {
      builder.sslContext(sslContext(pem));
    }
    return builder.build();
  }

  /**
   * A context trusting every certificate in {@code pem}, and nothing else.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static SSLContext sslContext(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + n++, certificate);
      }
      if (n == 0) {
        throw new IllegalArgumentException(pem + " holds no certificate");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA certificates in " + pem, e);
    }
  }
}
