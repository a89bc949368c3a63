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
    assertThat((List<String>) at(kustomization, "resources")).containsExactly("pod-monitors.yaml");
    assertThat(
            (List<String>)
                at(K8sManifests.find("kustomization.yaml", "Kustomization", null), "resources"))
        .as("the base works without the Prometheus Operator's CRDs")
        .noneMatch(r -> r.startsWith("monitoring/"));
  }

  @Test
  void theConnectWorkersServeTheRulesInConnectAndArePodMonitored() throws Exception {
    Map<String, Object> connect =
        K8sManifests.find("connect/kafka-connect.yaml", "KafkaConnect", "ndc-connect");
    Map<String, Object> ref = at(connect, "spec", "metricsConfig", "valueFrom", "configMapKeyRef");
    Map<String, Object> base = K8sManifests.find("kustomization.yaml", "Kustomization", null);
    List<Map<String, Object>> generators = at(base, "configMapGenerator");

    assertThat((String) at(connect, "spec", "metricsConfig", "type"))
        .isEqualTo("jmxPrometheusExporter");
    assertThat(generators)
        .filteredOn(g -> ref.get("name").equals(g.get("name")))
        .singleElement()
        .satisfies(
            g ->
                assertThat((List<String>) g.get("files"))
                    .containsExactly(ref.get("key") + "=connect/metrics-config.yml"));
    // The generated name carries a content hash; kustomize substitutes it in the KafkaConnect
    // only where a nameReference says so.
    assertThat((List<String>) at(base, "configurations"))
        .contains("kustomizeconfig/kafkaconnect.yaml");
    List<Map<String, Object>> references =
        at(K8sManifests.documents("kustomizeconfig/kafkaconnect.yaml").get(0), "nameReference");
    assertThat((List<Map<String, Object>>) references.get(0).get("fieldSpecs"))
        .anySatisfy(
            spec -> {
              assertThat(spec).containsEntry("kind", "KafkaConnect");
              assertThat(spec)
                  .containsEntry("path", "spec/metricsConfig/valueFrom/configMapKeyRef/name");
            });

    Map<String, Object> monitor =
        K8sManifests.find("monitoring/pod-monitors.yaml", "PodMonitor", "ndc-connect");
    assertThat((Map<String, Object>) at(monitor, "spec", "selector", "matchLabels"))
        .containsEntry("strimzi.io/cluster", at(connect, "metadata", "name"))
        .containsEntry("strimzi.io/kind", "KafkaConnect");
    List<Map<String, Object>> endpoints = at(monitor, "spec", "podMetricsEndpoints");
    // Strimzi's name for the exporter's port on every pod it runs the exporter in.
    assertThat(endpoints.get(0)).containsEntry("port", "tcp-prometheus");
  }
}
