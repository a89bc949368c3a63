package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private static final Path K8S =
      Path.of(System.getProperty("ndc.project.dir", ".")).resolve("k8s");

  private static List<Map<String, Object>> documents(Path file) throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it =
        new ObjectMapper(new YAMLFactory())
            .readerForMapOf(Object.class)
            .readValues(file.toFile())) {
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... path) {
    Object current = node;
    for (String step : path) {
      if (!(current instanceof Map<?, ?>)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  @Test
  void theClusterJobConfigUsesTlsWithTheMountedClusterCa() throws Exception {
    Configuration conf =
        JobConfig.load(K8S.resolve("jobs/person-sync.yaml"), Map.of(), PersonSyncOptions.class);

    assertThat(conf.get(PersonSyncOptions.KAFKA_SECURITY_PROTOCOL))
        .isEqualTo(KafkaSecurityProtocol.SSL);
    assertThat(conf.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS)).endsWith(":9093");
    Path truststore = Path.of(conf.get(PersonSyncOptions.KAFKA_SSL_TRUSTSTORE));

    Map<String, Object> deployment =
        documents(K8S.resolve("flink/person-sync.yaml")).stream()
            .filter(d -> "FlinkDeployment".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> volumes = at(deployment, "spec", "podTemplate", "spec", "volumes");
    Map<String, Object> caVolume =
        volumes.stream()
            .filter(v -> "ndc-cluster-ca-cert".equals(at(v, "secret", "secretName")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume of Secret ndc-cluster-ca-cert"));
    List<Map<String, Object>> items = at(caVolume, "secret", "items");
    assertThat(items)
        .anySatisfy(
            i -> {
              assertThat(i.get("key")).isEqualTo("ca.crt");
              assertThat(i.get("path")).isEqualTo(truststore.getFileName().toString());
            });
    List<Map<String, Object>> containers =
        at(deployment, "spec", "podTemplate", "spec", "containers");
    List<Map<String, Object>> mounts = at(containers.get(0), "volumeMounts");
    assertThat(mounts)
        .anySatisfy(
            m -> {
              assertThat(m.get("name")).isEqualTo(caVolume.get("name"));
              assertThat(Path.of((String) m.get("mountPath"))).isEqualTo(truststore.getParent());
            });
  }

  @Test
  void theKafkaClusterHasNoPlainTextListener() throws Exception {
    Map<String, Object> kafka =
        documents(K8S.resolve("kafka/kafka.yaml")).stream()
            .filter(d -> "Kafka".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> listeners = at(kafka, "spec", "kafka", "listeners");

    assertThat(listeners).isNotEmpty().allSatisfy(l -> assertThat(l.get("tls")).isEqualTo(true));
  }
}
