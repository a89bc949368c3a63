package vn.ndc.sync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import vn.ndc.sync.config.PersonSyncOptions.KafkaSecurityProtocol;

/**
 * The Kafka client properties that say how the job reaches the brokers, checked before anything
 * starts. Every Kafka client of the job takes the same ones, so no client is left on plain text
 * while the others use TLS.
 */
public final class KafkaClientSecurity {

  private KafkaClientSecurity() {}

  /**
   * Client properties for {@code options}: none for PLAINTEXT; for SSL the protocol, the PEM
   * truststore and host name verification (Kafka's default, set so no other layer can turn it off).
   *
   * @throws ConfigException when SSL lacks a readable truststore, or PLAINTEXT names one
   */
  public static Map<String, String> properties(Configuration options) {
    KafkaSecurityProtocol protocol = options.get(PersonSyncOptions.KAFKA_SECURITY_PROTOCOL);
    String truststore = options.get(PersonSyncOptions.KAFKA_SSL_TRUSTSTORE).trim();
    Map<String, String> props = new LinkedHashMap<>();
    if (protocol == KafkaSecurityProtocol.PLAINTEXT) {
      if (!truststore.isEmpty()) {
        // A truststore without TLS is a half-done switch to TLS: say so instead of ignoring it.
        throw new ConfigException(
            PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key()
                + " is set but "
                + PersonSyncOptions.KAFKA_SECURITY_PROTOCOL.key()
                + " is PLAINTEXT; set it to SSL to use the truststore, or remove the truststore");
      }
      return props;
    }
    if (truststore.isEmpty()) {
      throw new ConfigException(
          PersonSyncOptions.KAFKA_SECURITY_PROTOCOL.key()
              + " SSL needs "
              + PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key()
              + ": a PEM file with the CA certificate of the brokers");
    }
    Path file = Path.of(truststore);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(
          PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key()
              + " "
              + truststore
              + " is not a readable file; mount the brokers' CA certificate there");
    }
    props.put("security.protocol", "SSL");
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", file.toAbsolutePath().toString());
    props.put("ssl.endpoint.identification.algorithm", "https");
    return props;
  }
}
