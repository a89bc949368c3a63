package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.config.PersonSyncOptions.KafkaSecurityProtocol;

/**
 * The Kubernetes deployment keeps personal data off plain-text Kafka and away from unknown clients:
 * the job's cluster config asks for TLS, its truststore is where the FlinkDeployment mounts the
 * cluster CA, the Kafka cluster has no plain-text listener, every client presents the certificate
 * of a KafkaUser, and only Kafka Connect is a super user ({@code KafkaAclIT} runs the other users'
 * ACLs).
 */
class K8sKafkaTlsTest {

  @Test
  void theClusterJobConfigUsesTlsWithTheMountedClusterCa() throws Exception {
    Configuration conf = K8sManifests.jobConfig();

    assertThat(conf.get(PersonSyncOptions.KAFKA_SECURITY_PROTOCOL))
        .isEqualTo(KafkaSecurityProtocol.SSL);
    assertThat(conf.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS)).endsWith(":9093");
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);
    assertThat(
            K8sManifests.mountedFile(
                at(deployment, "spec", "podTemplate", "spec"), "ndc-cluster-ca-cert", "ca.crt"))
        .hasToString(conf.get(PersonSyncOptions.KAFKA_SSL_TRUSTSTORE));
  }

  @Test
  void theKafkaClusterHasNoPlainTextListener() throws Exception {
    Map<String, Object> kafka = K8sManifests.find("kafka/kafka.yaml", "Kafka", null);
    List<Map<String, Object>> listeners = at(kafka, "spec", "kafka", "listeners");

    assertThat(listeners).isNotEmpty().allSatisfy(l -> assertThat(l.get("tls")).isEqualTo(true));
  }

  @Test
  void theJobPresentsTheCertificateOfItsKafkaUser() throws Exception {
    Configuration conf = K8sManifests.jobConfig();
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);
    Map<String, Object> podSpec = at(deployment, "spec", "podTemplate", "spec");

    K8sManifests.find("kafka/users.yaml", "KafkaUser", "person-sync");
    assertThat(K8sManifests.mountedFile(podSpec, "person-sync", "user.p12"))
        .hasToString(conf.get(PersonSyncOptions.KAFKA_SSL_KEYSTORE));
    assertThat(K8sManifests.secretRefOf(podSpec, "NDC_KAFKA_KEYSTORE_PASSWORD"))
        .containsExactly("person-sync", "user.password");
  }

  @Test
  void everyClientAuthenticatesAndOnlyConnectIsASuperUser() throws Exception {
    Map<String, Object> kafka = K8sManifests.find("kafka/kafka.yaml", "Kafka", null);
    List<Map<String, Object>> listeners = at(kafka, "spec", "kafka", "listeners");
    Map<String, Object> connect =
        K8sManifests.find("connect/kafka-connect.yaml", "KafkaConnect", "ndc-connect");
    String connectUser = at(connect, "spec", "authentication", "certificateAndKey", "secretName");

    assertThat(listeners)
        .allSatisfy(l -> assertThat((String) at(l, "authentication", "type")).isEqualTo("tls"));
    assertThat((String) at(kafka, "spec", "kafka", "authorization", "type")).isEqualTo("simple");
    assertThat((List<String>) at(kafka, "spec", "kafka", "authorization", "superUsers"))
        .containsExactly("CN=" + connectUser);
    assertThat((Map<String, Object>) at(kafka, "spec", "entityOperator", "userOperator"))
        .isNotNull();
    K8sManifests.find("kafka/users.yaml", "KafkaUser", connectUser);
    assertThat(K8sManifests.baseResources()).contains("kafka/users.yaml");
  }

  @Test
  void theSchemaHistoryClientsPresentConnectsCertificate() throws Exception {
    Map<String, Object> config =
        at(
            K8sManifests.find(
                "connect/health-insurance-connector.yaml", "KafkaConnector", "health-insurance"),
            "spec",
            "config");
    List<Map<String, Object>> rules =
        at(
            K8sManifests.find(
                "connect/connect-secrets-rbac.yaml", "Role", "ndc-connect-agency-secrets"),
            "rules");

    for (String client : List.of("producer", "consumer")) {
      String prefix = "schema.history.internal." + client + ".ssl.keystore.";
      assertThat(config.get(prefix + "type")).isEqualTo("PEM");
      assertThat(config.get(prefix + "certificate.chain"))
          .isEqualTo("${secrets:ndc/ndc-connect:user.crt}");
      assertThat(config.get(prefix + "key")).isEqualTo("${secrets:ndc/ndc-connect:user.key}");
    }
    assertThat((List<String>) rules.get(0).get("resourceNames")).contains("ndc-connect");
  }
}
