package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.job.FlinkEnvironments;

/**
 * Prometheus finds the job's metrics where the FlinkDeployment serves them, and the dashboard it
 * ships is the one in {@code deploy/dashboards/}. (What the metrics are is checked against a
 * running job by {@code PersonSyncIT}.)
 */
class K8sMonitoringTest {

  private static final String REPORTER =
      "metrics.reporter." + FlinkEnvironments.PROMETHEUS_REPORTER;

  @Test
  void thePodMonitorScrapesThePortTheReporterListensOn() throws Exception {
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", "person-sync");
    Map<String, Object> conf = at(deployment, "spec", "flinkConfiguration");
    Map<String, Object> monitor =
        K8sManifests.find("monitoring/pod-monitors.yaml", "PodMonitor", "person-sync");
    List<Map<String, Object>> endpoints = at(monitor, "spec", "podMetricsEndpoints");
    List<Map<String, Object>> ports =
        at(K8sManifests.firstContainer(at(deployment, "spec", "podTemplate", "spec")), "ports");

    assertThat(conf.get(REPORTER + ".factory.class"))
        .isEqualTo(
            FlinkEnvironments.prometheusReporter(0).toMap().get(REPORTER + ".factory.class"));
    String portName = (String) endpoints.get(0).get("port");
    assertThat(ports)
        .filteredOn(p -> portName.equals(p.get("name")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(String.valueOf(p.get("containerPort")))
                    .isEqualTo(conf.get(REPORTER + ".port")));
    // The Flink Kubernetes Operator labels the FlinkDeployment's pods app=<its name>.
    assertThat((Map<String, Object>) at(monitor, "spec", "selector", "matchLabels"))
        .containsEntry("app", at(deployment, "metadata", "name"));
  }

  @Test
  void theDashboardConfigMapIsTheDashboardInDeploy() throws Exception {
    Map<String, Object> kustomization =
        K8sManifests.find("monitoring/kustomization.yaml", "Kustomization", null);
    List<Map<String, Object>> generators = at(kustomization, "configMapGenerator");
    List<String> files = at(generators.get(0), "files");

    assertThat(files).containsExactly("ndc-sync.json=../../deploy/dashboards/ndc-sync.json");
    assertThat(
            Files.isRegularFile(
                K8sManifests.K8S
                    .resolve("monitoring")
                    .resolve("../../deploy/dashboards/ndc-sync.json")))
        .isTrue();
    assertThat((List<String>) at(kustomization, "resources"))
        .containsExactly("pod-monitors.yaml", "alerts.yaml");
    assertThat(K8sManifests.baseResources())
        .as("the base works without the Prometheus Operator's CRDs")
        .noneMatch(r -> r.startsWith("monitoring/"));
  }

  @Test
  void theConnectWorkersServeTheRulesInConnectAndArePodMonitored() throws Exception {
    Map<String, Object> connect =
        K8sManifests.find("connect/kafka-connect.yaml", "KafkaConnect", "ndc-connect");
    assertServesGeneratedRules(
        at(connect, "spec", "metricsConfig"),
        "connect/metrics-config.yml",
        "kustomizeconfig/kafkaconnect.yaml",
        "KafkaConnect",
        "spec/metricsConfig/valueFrom/configMapKeyRef/name");
    assertPodMonitored("ndc-connect", at(connect, "metadata", "name"), "KafkaConnect");
  }

  @Test
  void theKafkaNodesServeTheRulesInKafkaAndArePodMonitored() throws Exception {
    Map<String, Object> kafka = K8sManifests.find("kafka/kafka.yaml", "Kafka", "ndc");
    assertServesGeneratedRules(
        at(kafka, "spec", "kafka", "metricsConfig"),
        "kafka/metrics-config.yml",
        "kustomizeconfig/kafka.yaml",
        "Kafka",
        "spec/kafka/metricsConfig/valueFrom/configMapKeyRef/name");
    assertPodMonitored("ndc-kafka", at(kafka, "metadata", "name"), "Kafka");
  }

  /**
   * The resource's exporter reads the ConfigMap the base generates from {@code rulesFile}; the
   * generated name carries a content hash, which kustomize substitutes in the resource only where a
   * nameReference says so.
   */
  private static void assertServesGeneratedRules(
      Map<String, Object> metricsConfig,
      String rulesFile,
      String nameReferenceFile,
      String kind,
      String path)
      throws Exception {
    Map<String, Object> ref = at(metricsConfig, "valueFrom", "configMapKeyRef");
    Map<String, Object> base = K8sManifests.base();
    List<Map<String, Object>> generators = at(base, "configMapGenerator");

    assertThat((String) metricsConfig.get("type")).isEqualTo("jmxPrometheusExporter");
    assertThat(generators)
        .filteredOn(g -> ref.get("name").equals(g.get("name")))
        .singleElement()
        .satisfies(
            g ->
                assertThat((List<String>) g.get("files"))
                    .containsExactly(ref.get("key") + "=" + rulesFile));
    assertThat((List<String>) at(base, "configurations")).contains(nameReferenceFile);
    List<Map<String, Object>> references =
        at(K8sManifests.documents(nameReferenceFile).get(0), "nameReference");
    assertThat((List<Map<String, Object>>) references.get(0).get("fieldSpecs"))
        .anySatisfy(
            spec -> {
              assertThat(spec).containsEntry("kind", kind);
              assertThat(spec).containsEntry("path", path);
            });
  }

  /** A PodMonitor selects the pods Strimzi runs for the resource, on the exporter's port. */
  private static void assertPodMonitored(String monitorName, String cluster, String kind)
      throws Exception {
    Map<String, Object> monitor =
        K8sManifests.find("monitoring/pod-monitors.yaml", "PodMonitor", monitorName);
    assertThat((Map<String, Object>) at(monitor, "spec", "selector", "matchLabels"))
        .containsEntry("strimzi.io/cluster", cluster)
        .containsEntry("strimzi.io/kind", kind);
    List<Map<String, Object>> endpoints = at(monitor, "spec", "podMetricsEndpoints");
    // Strimzi's name for the exporter's port on every pod it runs the exporter in.
    assertThat(endpoints.get(0)).containsEntry("port", "tcp-prometheus");
  }
}
