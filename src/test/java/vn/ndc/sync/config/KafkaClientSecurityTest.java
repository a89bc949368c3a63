package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

  @TempDir Path dir;

  private static Configuration options(Map<String, String> extra) {
    return TestJobOptions.with(extra);
  }

  @Test
  void plainTextByDefaultToABrokerOnThisMachineAddsNothing() {
    assertThat(KafkaClientSecurity.properties(options(Map.of()))).isEmpty();
    assertThat(
            KafkaClientSecurity.properties(
                options(
                    Map.of(
                        "kafka.bootstrap-servers",
                        "127.0.0.1:9092,[::1]:9093,PLAINTEXT://localhost:9094"))))
        .isEmpty();
  }

  @Test
  void plainTextToABrokerElsewhereIsRefusedNamingTheFix() {
    Configuration conf =
        options(Map.of("kafka.bootstrap-servers", "localhost:9092, kafka-0.ndc.svc:9092"));

    assertThatThrownBy(() -> KafkaClientSecurity.properties(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broker kafka-0.ndc.svc:9092 is not this machine")
        .hasMessageContaining("kafka.security-protocol: SSL");
  }

  @Test
  void sslTakesThePemTruststoreAndVerifiesHostNames() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> props =
        KafkaClientSecurity.properties(
            options(
                Map.of("kafka.security-protocol", "SSL", "kafka.ssl.truststore", ca.toString())));

    assertThat(props)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", ca.toAbsolutePath().toString())
        .containsEntry("ssl.endpoint.identification.algorithm", "https");
  }

  @Test
  void sslWithoutATruststoreIsRefusedNamingTheKey() {
    Configuration conf = options(Map.of("kafka.security-protocol", "SSL"));

    assertThatThrownBy(() -> KafkaClientSecurity.properties(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.ssl.truststore");
  }

  @Test
  void aTruststoreThatIsNotThereIsRefused() {
    Configuration conf =
        options(
            Map.of(
                "kafka.security-protocol",
                "SSL",
                "kafka.ssl.truststore",
                dir.resolve("missing.crt").toString()));

    assertThatThrownBy(() -> KafkaClientSecurity.properties(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.crt")
        .hasMessageContaining("not a readable file");
  }

  @Test
  void aTruststoreWithoutTlsIsRefusedRatherThanIgnored() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    Configuration conf = options(Map.of("kafka.ssl.truststore", ca.toString()));

    assertThatThrownBy(() -> KafkaClientSecurity.properties(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PLAINTEXT");
  }

  @Test
  void aKeystoreIsTheJobsOwnCertificateForMutualTls() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    Path keystore = Files.write(dir.resolve("user.p12"), new byte[] {1});
    Map<String, String> props =
        KafkaClientSecurity.properties(
            options(
                Map.of(
                    "kafka.security-protocol",
                    "SSL",
                    "kafka.ssl.truststore",
                    ca.toString(),
                    "kafka.ssl.keystore",
                    keystore.toString(),
                    "kafka.ssl.keystore-password",
                    "secret")));

    assertThat(props)
        .containsEntry("ssl.keystore.type", "PKCS12")
        .containsEntry("ssl.keystore.location", keystore.toAbsolutePath().toString())
        .containsEntry("ssl.keystore.password", "secret");
  }

  @Test
  void aKeystoreWithoutItsPasswordIsRefused() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    Path keystore = Files.write(dir.resolve("user.p12"), new byte[] {1});
    Configuration conf =
        options(
            Map.of(
                "kafka.security-protocol", "SSL",
                "kafka.ssl.truststore", ca.toString(),
                "kafka.ssl.keystore", keystore.toString()));

    assertThatThrownBy(() -> KafkaClientSecurity.properties(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.ssl.keystore-password")
        .hasMessageContaining("NDC_KAFKA_KEYSTORE_PASSWORD");
  }

  @Test
  void aKeystoreWithoutTlsIsRefused() throws Exception {
    Path keystore = Files.write(dir.resolve("user.p12"), new byte[] {1});
    Configuration conf = options(Map.of("kafka.ssl.keystore", keystore.toString()));

    assertThatThrownBy(() -> KafkaClientSecurity.properties(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.ssl.keystore is set");
  }

  @Test
  void anUnknownProtocolFailsValidation() {
    assertThatThrownBy(() -> options(Map.of("kafka.security-protocol", "SASL_SSL")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.security-protocol");
  }
}
