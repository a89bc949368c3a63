package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every agency folder under {@code connectors/}, the population's included, is deployed by the
 * Kubernetes base as {@code local} runs it: a KafkaConnector whose config is the folder's {@code
 * connector.properties} (besides the differences its header lists), a KafkaTopic per captured table
 * that the raw-subject Job knows, its database Secret in the template and readable by the Connect
 * workers, and its mapping mounted into the Flink job. Without this, the job in the cluster would
 * not see an agency that {@code local} and the tests run, as it once did not see the population, so
 * that no record could link.
 */
class K8sAgenciesTest {

  private static final Path CONNECTORS = K8sManifests.K8S.resolveSibling("connectors");

  /** Keys whose value differs in the cluster on purpose (TLS, a schema history on Kafka). */
  private static final Set<String> CLUSTER_OWN =
      Set.of(
          "name",
          "connector.class",
          "database.sslmode",
          "database.ssl.mode",
          "schema.history.internal");

  static List<String> agencies() throws Exception {
    try (Stream<Path> dirs = Files.list(CONNECTORS)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("connector.properties")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @MethodSource("agencies")
  void theClusterRunsTheAgencysCaptureAsItsFolderSays(String agency) throws Exception {
    Properties local = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            CONNECTORS.resolve(agency).resolve("connector.properties"), StandardCharsets.UTF_8)) {
      local.load(in);
    }
    Map<String, Object> base = K8sManifests.base();
    String file = "connect/" + agency + "-connector.yaml";
    assertThat(K8sManifests.baseResources()).as("base resources").contains(file);
    Map<String, Object> connector = K8sManifests.find(file, "KafkaConnector", agency);
    Map<String, Object> config = at(connector, "spec", "config");

    assertThat((String) at(connector, "spec", "class"))
        .isEqualTo(local.getProperty("connector.class"));
    for (String key : local.stringPropertyNames()) {
      if (CLUSTER_OWN.contains(key)) {
        continue;
      }
      String expected =
          local
              .getProperty(key)
              .replaceAll("\\$\\{db\\.([a-z-]+)}", "\\${secrets:ndc/" + agency + "-db:$1}");
      assertThat(String.valueOf(config.get(key))).as(agency + ": " + key).isEqualTo(expected);
    }

    String secret = agency + "-db";
    assertThat(K8sManifests.templateSecret(secret)).as("template of Secret " + secret).isNotNull();
    List<Map<String, Object>> rbacRules =
        at(
            K8sManifests.find(
                "connect/connect-secrets-rbac.yaml", "Role", "ndc-connect-agency-secrets"),
            "rules");
    assertThat((List<String>) rbacRules.get(0).get("resourceNames")).contains(secret);

    List<String> rawTopics = new ArrayList<>();
    for (String table : local.getProperty("table.include.list").split(",")) {
      String name = table.strip();
      rawTopics.add("raw." + agency + "." + name.substring(name.lastIndexOf('.') + 1));
    }
    List<Object> declared =
        K8sManifests.documents("kafka/topics.yaml").stream()
            .map(t -> at(t, "spec", "topicName"))
            .toList();
    String subjectsJob =
        K8sManifests.documents("registry/raw-subject-compatibility.yaml").toString();
    for (String topic : rawTopics) {
      assertThat(declared).as("KafkaTopics").contains(topic);
      assertThat(subjectsJob).as("RAW_TOPICS of the raw-subject Job").contains(topic);
      assertThat((String) config.get("transforms.route.replacement"))
          .as("the connector routes to raw.<agency>.<table>")
          .isEqualTo("raw." + agency + ".$1");
    }

    String configMap = "connector-" + agency;
    List<Map<String, Object>> generators = at(base, "configMapGenerator");
    assertThat(generators)
        .filteredOn(g -> configMap.equals(g.get("name")))
        .singleElement()
        .satisfies(
            g ->
                assertThat((List<String>) g.get("files"))
                    .containsExactly("mapping.yaml=../connectors/" + agency + "/mapping.yaml"));
    Map<String, Object> flink =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", "person-sync");
    List<Map<String, Object>> volumes = at(flink, "spec", "podTemplate", "spec", "volumes");
    assertThat(volumes)
        .as("the job's pods have the mapping's ConfigMap")
        .anySatisfy(
            v -> {
              assertThat(v).containsEntry("name", configMap);
              assertThat((String) at(v, "configMap", "name")).isEqualTo(configMap);
            });
    List<Map<String, Object>> containers = at(flink, "spec", "podTemplate", "spec", "containers");
    List<Map<String, Object>> mounts =
        (List<Map<String, Object>>) containers.get(0).get("volumeMounts");
    assertThat(mounts)
        .as("mounted where the job reads agency folders")
        .anySatisfy(
            m -> {
              assertThat(m).containsEntry("name", configMap);
              assertThat(m).containsEntry("mountPath", "/opt/ndc/connectors/" + agency);
            });
  }
}
