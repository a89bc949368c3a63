package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTrustTest {

  @TempDir Path dir;

  private static Configuration options(String registryUrl, String truststore) {
    return TestJobOptions.with(
        Map.of("registry.url", registryUrl, "registry.ssl.truststore", truststore));
  }

  @Test
  void noTruststoreByDefault() {
    assertThat(RegistryTrust.truststore(options("http://127.0.0.1:8080/apis/registry/v3", "")))
        .isEmpty();
    assertThat(RegistryTrust.truststore(options("https://registry:8443", ""))).isEmpty();
  }

  @Test
  void plainHttpToARegistryElsewhereIsRefusedNamingTheFix() {
    Configuration conf = options("http://user@registry.ndc.svc:8080/apis/registry/v3", "");

    assertThatThrownBy(() -> RegistryTrust.truststore(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("plain HTTP to registry.ndc.svc, which is not this machine")
        .hasMessageContaining("https://");
  }

  @Test
  void anHttpsRegistryTakesAReadableTruststore() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");

    assertThat(RegistryTrust.truststore(options("https://registry:8443", ca.toString())))
        .isEqualTo(ca.toAbsolutePath().toString());
  }

  @Test
  void aTruststoreForAPlainHttpRegistryIsRefused() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Configuration conf = options("http://localhost:8080", ca.toString());

    assertThatThrownBy(() -> RegistryTrust.truststore(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registry.ssl.truststore is set but registry.url");
  }

  @Test
  void aTruststoreThatIsNotThereIsRefused() {
    Configuration conf = options("https://registry:8443", dir.resolve("missing.crt").toString());

    assertThatThrownBy(() -> RegistryTrust.truststore(conf))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a readable file");
  }
}
