package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kafka Connect reaches every agency over verified TLS: each connector asks for {@code verify-full}
 * against a CA file (PEM for PostgreSQL, a PKCS12 truststore for MariaDB) that the Connect pods
 * mount from that agency's own Secret, under {@code /mnt} where Strimzi allows it, and the Secrets
 * template asks for it.
 */
class K8sAgencyTlsTest {

  private static final Pattern SECRET_REF = Pattern.compile("\\$\\{secrets:ndc/([^:]+):host}");

  private static List<Map<String, Object>> connectors(String connectorClass) throws Exception {
    List<Map<String, Object>> connectors = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8sManifests.K8S.resolve("connect"))) {
      for (Path file : files.filter(f -> f.toString().endsWith("-connector.yaml")).toList()) {
        for (Map<String, Object> doc : K8sManifests.documents("connect/" + file.getFileName())) {
          if (connectorClass.equals(at(doc, "spec", "class"))) {
            connectors.add(doc);
          }
        }
      }
    }
    return connectors;
  }

  /** Where the Connect pods see key {@code key} of Secret {@code secret}; null if they do not. */
  private static Path connectMount(String secret, String key) throws Exception {
    Map<String, Object> connect =
        K8sManifests.find("connect/kafka-connect.yaml", "KafkaConnect", "ndc-connect");
    List<Map<String, Object>> volumes = at(connect, "spec", "template", "pod", "volumes");
    List<Map<String, Object>> mounts =
        at(connect, "spec", "template", "connectContainer", "volumeMounts");
    for (Map<String, Object> volume : volumes) {
      if (!secret.equals(at(volume, "secret", "secretName"))) {
        continue;
      }
      List<Map<String, Object>> items = at(volume, "secret", "items");
      for (Map<String, Object> item : items) {
        if (!key.equals(item.get("key"))) {
          continue;
        }
        for (Map<String, Object> mount : mounts) {
          if (volume.get("name").equals(mount.get("name"))) {
            return Path.of((String) mount.get("mountPath")).resolve((String) item.get("path"));
          }
        }
      }
    }
    return null;
  }

  @Test
  void everyPostgresAgencyIsVerifiedAgainstTheCaOfItsOwnSecret() throws Exception {
    List<Map<String, Object>> connectors =
        connectors("io.debezium.connector.postgresql.PostgresConnector");
    assertThat(connectors).hasSizeGreaterThanOrEqualTo(2);

    for (Map<String, Object> connector : connectors) {
      Map<String, Object> config = at(connector, "spec", "config");
      String secret = secretOf(config);
      Path ca = connectMount(secret, "ca.crt");

      assertThat(config.get("database.sslmode")).as(secret).isEqualTo("verify-full");
      assertThat(ca).as("Connect mounts ca.crt of " + secret).isNotNull();
      assertThat(ca.startsWith("/mnt")).as("Strimzi mounts only under /mnt: " + ca).isTrue();
      assertThat(Path.of((String) config.get("database.sslrootcert"))).isEqualTo(ca);
      assertThat(K8sManifests.templateSecret(secret)).containsKey("ca.crt");
    }
  }

  @Test
  void everyMariaDbAgencyIsVerifiedAgainstTheTruststoreOfItsOwnSecret() throws Exception {
    List<Map<String, Object>> connectors =
        connectors("io.debezium.connector.mariadb.MariaDbConnector");
    assertThat(connectors).isNotEmpty();

    for (Map<String, Object> connector : connectors) {
      Map<String, Object> config = at(connector, "spec", "config");
      String secret = secretOf(config);
      Path truststore = connectMount(secret, "truststore.p12");

      assertThat(config.get("database.ssl.mode")).as(secret).isEqualTo("verify-full");
      assertThat(truststore).as("Connect mounts truststore.p12 of " + secret).isNotNull();
      assertThat(truststore.startsWith("/mnt")).as("under /mnt: " + truststore).isTrue();
      assertThat(Path.of((String) config.get("database.ssl.truststore"))).isEqualTo(truststore);
      assertThat(config.get("database.ssl.truststore.password"))
          .isEqualTo("${secrets:ndc/" + secret + ":truststore-password}");
      assertThat(K8sManifests.templateSecret(secret)).containsKey("truststore-password");
    }
  }

  private static String secretOf(Map<String, Object> config) {
    Matcher ref = SECRET_REF.matcher((String) config.get("database.hostname"));
    assertThat(ref.matches()).as("host from a Secret").isTrue();
    return ref.group(1);
  }
}
