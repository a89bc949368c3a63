package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes registry speaks HTTPS only, with a certificate for the host name its clients use,
 * and each client trusts the CA where its pod mounts it: the job (PEM), Kafka Connect's converter
 * (PKCS12) and the compatibility Job (curl).
 */
class K8sRegistryTlsTest {

  private static final String TLS_SECRET = "apicurio-registry-tls";

  @Test
  void theRegistryServesOnlyHttpsWithItsMountedCertificate() throws Exception {
    Map<String, Object> deployment =
        K8sManifests.find("registry/apicurio-registry.yaml", "Deployment", "apicurio-registry");
    Map<String, Object> podSpec = at(deployment, "spec", "template", "spec");
    Map<String, String> env = new java.util.HashMap<>();
    for (Map<String, Object> e : K8sManifests.env(podSpec)) {
      if (e.get("value") != null) {
        env.put((String) e.get("name"), (String) e.get("value"));
      }
    }

    assertThat(env).containsEntry("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled");
    assertThat(Path.of(env.get("QUARKUS_HTTP_SSL_CERTIFICATE_FILES")))
        .isEqualTo(K8sManifests.mountedFile(podSpec, TLS_SECRET, "tls.crt"));
    assertThat(Path.of(env.get("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES")))
        .isEqualTo(K8sManifests.mountedFile(podSpec, TLS_SECRET, "tls.key"));
    Map<String, Object> certificate =
        K8sManifests.find("registry/apicurio-registry-tls.yaml", "Certificate", TLS_SECRET);
    assertThat((List<String>) at(certificate, "spec", "dnsNames"))
        .contains(
            URI.create(K8sManifests.jobConfig().get(PersonSyncOptions.REGISTRY_URL)).getHost());
    assertThat(K8sManifests.baseResources()).contains("registry/apicurio-registry-tls.yaml");
  }

  @Test
  void theJobTrustsTheCaItsPodsMount() throws Exception {
    Configuration conf = K8sManifests.jobConfig();
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);

    assertThat(conf.get(PersonSyncOptions.REGISTRY_URL)).startsWith("https://");
    assertThat(
            K8sManifests.mountedFile(
                at(deployment, "spec", "podTemplate", "spec"), TLS_SECRET, "ca.crt"))
        .hasToString(conf.get(PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE));
  }

  @Test
  void connectsConverterTrustsTheTruststoreItsPodsMount() throws Exception {
    Map<String, Object> connect =
        K8sManifests.find("connect/kafka-connect.yaml", "KafkaConnect", "ndc-connect");
    Map<String, Object> config = at(connect, "spec", "config");
    List<Map<String, Object>> volumes = at(connect, "spec", "template", "pod", "volumes");
    List<Map<String, Object>> mounts =
        at(connect, "spec", "template", "connectContainer", "volumeMounts");
    Map<String, Object> volume =
        volumes.stream()
            .filter(v -> TLS_SECRET.equals(at(v, "secret", "secretName")))
            .findFirst()
            .orElseThrow();
    String mountPath =
        mounts.stream()
            .filter(m -> volume.get("name").equals(m.get("name")))
            .map(m -> (String) m.get("mountPath"))
            .findFirst()
            .orElseThrow();

    for (String side : List.of("key", "value")) {
      String prefix = side + ".converter.apicurio.registry.";
      assertThat((String) config.get(prefix + "url")).startsWith("https://");
      assertThat(config.get(prefix + "request.ssl.truststore.type")).isEqualTo("PKCS12");
      assertThat(Path.of((String) config.get(prefix + "request.ssl.truststore.location")))
          .isEqualTo(Path.of(mountPath, "truststore.p12"));
    }
    assertThat(
            (Map<String, Object>)
                at(
                    K8sManifests.find(
                        "registry/apicurio-registry-tls.yaml", "Certificate", TLS_SECRET),
                    "spec",
                    "keystores",
                    "pkcs12"))
        .containsEntry("create", true);
  }

  @Test
  void theCompatibilityJobTrustsTheCaItsPodMounts() throws Exception {
    Map<String, Object> job =
        K8sManifests.find(
            "registry/raw-subject-compatibility.yaml", "Job", "raw-subject-compatibility");
    Map<String, Object> podSpec = at(job, "spec", "template", "spec");
    List<Map<String, Object>> env = K8sManifests.env(podSpec);

    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.get("name")).isEqualTo("REGISTRY_CCOMPAT");
              assertThat((String) e.get("value")).startsWith("https://");
            })
        .anySatisfy(
            e -> {
              assertThat(e.get("name")).isEqualTo("CURL_CA_BUNDLE");
              assertThat(Path.of((String) e.get("value")))
                  .isEqualTo(K8sManifests.mountedFile(podSpec, TLS_SECRET, "ca.crt"));
            });
  }
}
