package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.config.PersonSyncOptions.KafkaSecurityProtocol;

/**
 * The Kubernetes deployment keeps personal data off plain-text Kafka: the job's cluster config asks
 * for TLS, its truststore is where the FlinkDeployment mounts the cluster CA, and the Kafka cluster
 * has no plain-text listener.
 */
class K8sKafkaTlsTest {

  @Test
  void theClusterJobConfigUsesTlsWithTheMountedClusterCa() throws Exception {
    Configuration conf =
        JobConfig.load(
            K8sManifests.K8S.resolve("jobs/person-sync.yaml"), Map.of(), PersonSyncOptions.class);

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
}
