package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes deployment keeps personal data off plain-text connections to the NDC PostgreSQL:
 * the server has its certificate and refuses TCP clients without TLS, and the job and the registry
 * check it against the CA where their pods mount it.
 */
class K8sStoreTlsTest {

  private static final String TLS_SECRET = "ndc-postgres-tls";
  private static final Pattern ROOT_CERT = Pattern.compile("[?&]sslrootcert=([^&]+)");

  /** The CA file a JDBC URL verifies the server against; fails unless it verifies host names. */
  private static Path verifiedAgainst(String jdbcUrl) {
    assertThat(jdbcUrl).contains("sslmode=verify-full");
    Matcher m = ROOT_CERT.matcher(jdbcUrl);
    assertThat(m.find()).as("sslrootcert in " + jdbcUrl).isTrue();
    return Path.of(m.group(1));
  }

  @Test
  void theJobVerifiesTheStoreAgainstTheCaItsPodsMount() throws Exception {
    var conf = K8sManifests.jobConfig();
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);

    assertThat(
            K8sManifests.mountedFile(
                at(deployment, "spec", "podTemplate", "spec"), TLS_SECRET, "ca.crt"))
        .isEqualTo(verifiedAgainst(conf.get(PersonSyncOptions.STORE_JDBC_URL)));
  }

  @Test
  void theRegistryVerifiesItsDatabaseAgainstTheCaItsPodsMount() throws Exception {
    Map<String, Object> secret =
        K8sManifests.find("secrets/secrets.template.yaml", "Secret", "apicurio-registry-db");
    Map<String, Object> registry =
        K8sManifests.find("registry/apicurio-registry.yaml", "Deployment", "apicurio-registry");

    assertThat(
            K8sManifests.mountedFile(
                at(registry, "spec", "template", "spec"), TLS_SECRET, "ca.crt"))
        .isEqualTo(verifiedAgainst(at(secret, "stringData", "url")));
  }

  @Test
  void certManagerKeepsACertificateForTheHostNameTheClientsVerify() throws Exception {
    Map<String, Object> certificate =
        K8sManifests.find("postgres/ndc-postgres-tls.yaml", "Certificate", TLS_SECRET);
    var conf = K8sManifests.jobConfig();
    String registryUrl =
        at(
            K8sManifests.find("secrets/secrets.template.yaml", "Secret", "apicurio-registry-db"),
            "stringData",
            "url");

    assertThat((String) at(certificate, "spec", "secretName")).isEqualTo(TLS_SECRET);
    assertThat((List<String>) at(certificate, "spec", "dnsNames"))
        .contains(host(conf.get(PersonSyncOptions.STORE_JDBC_URL)), host(registryUrl));
    assertThat(K8sManifests.baseResources()).contains("postgres/ndc-postgres-tls.yaml");
  }

  private static String host(String jdbcUrl) {
    Matcher m = Pattern.compile("^jdbc:postgresql://([^:/?]+)").matcher(jdbcUrl);
    assertThat(m.find()).as("host of " + jdbcUrl).isTrue();
    return m.group(1);
  }

  @Test
  void theServerTakesItsCertificateFromTheSecretAndRefusesClientsWithoutTls() throws Exception {
    Map<String, Object> server =
        K8sManifests.find("postgres/ndc-postgres.yaml", "StatefulSet", "ndc-postgres");
    Map<String, Object> podSpec = at(server, "spec", "template", "spec");
    List<String> args = at(K8sManifests.firstContainer(podSpec), "args");

    assertThat(args)
        .contains(
            "ssl=on",
            "ssl_cert_file=" + K8sManifests.mountedFile(podSpec, TLS_SECRET, "tls.crt"),
            "ssl_key_file=" + K8sManifests.mountedFile(podSpec, TLS_SECRET, "tls.key"),
            "hba_file=" + K8sManifests.mountedFile(podSpec, "ndc-postgres-hba", "pg_hba.conf"));
    String hba =
        at(
            K8sManifests.find("postgres/ndc-postgres.yaml", "ConfigMap", "ndc-postgres-hba"),
            "data",
            "pg_hba.conf");
    // Only the pod's own socket and TLS connections match a line; anything else is refused.
    assertThat(Arrays.stream(hba.split("\n")).map(String::strip))
        .filteredOn(line -> !line.isEmpty() && !line.startsWith("#"))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line.split("\\s+")[0]).isIn("local", "hostssl"));
  }
}
