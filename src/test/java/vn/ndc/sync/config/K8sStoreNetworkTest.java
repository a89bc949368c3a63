package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicy of the NDC store lets in exactly the pods that must reach it, as the manifests
 * label them: a renamed label on the registry or the access Job, or a renamed FlinkDeployment,
 * would otherwise cut them off the store in a cluster that enforces the policy.
 */
class K8sStoreNetworkTest {

  private static Map<String, Object> policy() throws Exception {
    return K8sManifests.find("postgres/ndc-postgres-network.yaml", "NetworkPolicy", "ndc-postgres");
  }

  private static List<Map<String, Object>> peers() throws Exception {
    List<Map<String, Object>> ingress = at(policy(), "spec", "ingress");
    assertThat(ingress).as("one ingress rule").hasSize(1);
    return (List<Map<String, Object>>) ingress.get(0).get("from");
  }

  /** The labels a peer of the policy selects pods by, when it names no namespace. */
  private static boolean admitsInNamespace(Map<String, Object> podLabels) throws Exception {
    for (Map<String, Object> peer : peers()) {
      if (peer.containsKey("namespaceSelector")) {
        continue;
      }
      Map<String, Object> wanted = at(peer, "podSelector", "matchLabels");
      if (wanted != null && podLabels.entrySet().containsAll(wanted.entrySet())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void thePolicyGuardsTheStoresPodsOnItsPort() throws Exception {
    Map<String, Object> server =
        K8sManifests.find("postgres/ndc-postgres.yaml", "StatefulSet", "ndc-postgres");
    Map<String, Object> serverLabels = at(server, "spec", "template", "metadata", "labels");
    List<Map<String, Object>> containers = at(server, "spec", "template", "spec", "containers");
    List<Map<String, Object>> ports = (List<Map<String, Object>>) containers.get(0).get("ports");
    List<Map<String, Object>> allowed =
        (List<Map<String, Object>>)
            ((List<Map<String, Object>>) at(policy(), "spec", "ingress")).get(0).get("ports");

    assertThat(serverLabels)
        .containsAllEntriesOf(at(policy(), "spec", "podSelector", "matchLabels"));
    assertThat((List<String>) at(policy(), "spec", "policyTypes")).containsExactly("Ingress");
    assertThat(allowed)
        .singleElement()
        .satisfies(p -> assertThat(p.get("port")).isEqualTo(ports.get(0).get("containerPort")));
    assertThat(K8sManifests.baseResources()).contains("postgres/ndc-postgres-network.yaml");
  }

  @Test
  void theJobTheRegistryAndTheAccessJobAreLetIn() throws Exception {
    Map<String, Object> flink =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", "person-sync");
    Map<String, Object> registry =
        K8sManifests.find("registry/apicurio-registry.yaml", "Deployment", "apicurio-registry");
    Map<String, Object> accessJob =
        K8sManifests.find("postgres/ndc-store-access-job.yaml", "Job", "ndc-store-access");

    // The Flink Kubernetes Operator labels every pod of FlinkDeployment <name> with app=<name>
    // (as the PodMonitor of k8s/monitoring relies on too).
    assertThat(admitsInNamespace(Map.of("app", at(flink, "metadata", "name"))))
        .as("the person-sync job's pods")
        .isTrue();
    assertThat(admitsInNamespace(at(registry, "spec", "template", "metadata", "labels")))
        .as("the registry's pods (its storage is in the store)")
        .isTrue();
    assertThat(admitsInNamespace(at(accessJob, "spec", "template", "metadata", "labels")))
        .as("the access Job's pod")
        .isTrue();
  }

  @Test
  void otherPodsGetInOnlyWithTheStoreClientLabel() throws Exception {
    Map<String, Object> kafkaConnect =
        K8sManifests.find("connect/kafka-connect.yaml", "KafkaConnect", "ndc-connect");

    assertThat(
            admitsInNamespace(Map.of("strimzi.io/cluster", at(kafkaConnect, "metadata", "name"))))
        .as("Kafka Connect has no business in the store")
        .isFalse();
    assertThat(peers())
        .filteredOn(p -> p.containsKey("namespaceSelector"))
        .singleElement()
        .satisfies(
            p ->
                assertThat((Map<String, Object>) at(p, "podSelector", "matchLabels"))
                    .containsExactly(Map.entry("ndc-sync.gov.vn/store-client", "true")));
  }
}
