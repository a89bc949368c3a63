package vn.ndc.sync.config;

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
   * truststore and host name verification (Kafka's default, set so no other layer can turn it off),
   * and the job's PKCS12 keystore when it has one (mutual TLS).
   *
   * @throws ConfigException when SSL lacks a readable truststore, a keystore lacks its password or
   *     is not readable, or PLAINTEXT names either file or a broker that is not this machine
   */
  public static Map<String, String> properties(Configuration options) {
    KafkaSecurityProtocol protocol = options.get(PersonSyncOptions.KAFKA_SECURITY_PROTOCOL);
    String truststore = options.get(PersonSyncOptions.KAFKA_SSL_TRUSTSTORE).trim();
    String keystore = options.get(PersonSyncOptions.KAFKA_SSL_KEYSTORE).trim();
    Map<String, String> props = new LinkedHashMap<>();
    if (protocol == KafkaSecurityProtocol.PLAINTEXT) {
      // A truststore or keystore without TLS is a half-done switch to TLS: say so instead of
      // ignoring it.
      String stray =
          !truststore.isEmpty()
              ? PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key()
              : !keystore.isEmpty() ? PersonSyncOptions.KAFKA_SSL_KEYSTORE.key() : null;
      if (stray != null) {
        throw new ConfigException(
            stray
                + " is set but "
                + PersonSyncOptions.KAFKA_SECURITY_PROTOCOL.key()
                + " is PLAINTEXT; set it to SSL, or remove "
                + stray);
      }
      // The records are personal data: plain text only to a broker on this machine.
      for (String server : options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS).split(",")) {
        String host = Loopback.hostOf(server);
        if (!host.isEmpty() && !Loopback.isLoopback(host)) {
          throw new ConfigException(
              PersonSyncOptions.KAFKA_SECURITY_PROTOCOL.key()
                  + " is PLAINTEXT but broker "
                  + server.trim()
                  + " is not this machine: the records are personal data, which leaves this"
                  + " machine only over TLS; set "
                  + PersonSyncOptions.KAFKA_SECURITY_PROTOCOL.key()
                  + ": SSL and "
                  + PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key()
                  + " to a PEM file with the brokers' CA");
        }
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
    props.put("security.protocol", "SSL");
    props.put("ssl.truststore.type", "PEM");
    props.put(
        "ssl.truststore.location",
        ReadableFile.check(
            PersonSyncOptions.KAFKA_SSL_TRUSTSTORE.key(), truststore, "the brokers' CA"));
    props.put("ssl.endpoint.identification.algorithm", "https");
    if (!keystore.isEmpty()) {
      String password = options.get(PersonSyncOptions.KAFKA_SSL_KEYSTORE_PASSWORD);
      if (password.isEmpty()) {
        throw new ConfigException(
            PersonSyncOptions.KAFKA_SSL_KEYSTORE.key()
                + " needs "
                + PersonSyncOptions.KAFKA_SSL_KEYSTORE_PASSWORD.key()
                + " (or the environment variable NDC_KAFKA_KEYSTORE_PASSWORD)");
      }
      props.put("ssl.keystore.type", "PKCS12");
      props.put(
          "ssl.keystore.location",
          ReadableFile.check(
              PersonSyncOptions.KAFKA_SSL_KEYSTORE.key(), keystore, "the job's key"));
      props.put("ssl.keystore.password", password);
    }
    return props;
  }
}
