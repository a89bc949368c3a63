package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricNameTemplate;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.ConnectMetricsRegistry;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.local.CaptureMetrics;
import vn.ndc.sync.testing.DashboardQueries;

/**
 * The exporter rules Strimzi runs in the Kafka Connect workers ({@code
 * k8s/connect/metrics-config.yml}) turn the worker's count of each connector's tasks by state into
 * the metric the dashboard queries. The MBeans come from Kafka Connect's own metrics (its registry
 * of names, its JMX reporter), as a worker registers them.
 */
class ConnectMetricsRulesTest {

  @Test
  void eachConnectorsTasksByStateReachTheDashboardsQueries() throws Exception {
    ConnectMetrics metrics =
        new ConnectMetrics(
            "worker-test",
            new StandaloneConfig(
                Map.of(
                    "bootstrap.servers", "localhost:9092",
                    "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                    "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                    "offset.storage.file.filename", "unused")),
            Time.SYSTEM,
            "cluster-test");
    try {
      ConnectMetricsRegistry names = metrics.registry();
      ConnectMetrics.MetricGroup group =
          metrics.group(names.workerGroupName(), names.connectorTagName(), "civil-registry-rules");
      Map<MetricNameTemplate, Double> counts =
          Map.of(
              names.connectorRunningTaskCount, 0.0,
              names.connectorFailedTaskCount, 1.0,
              names.connectorPausedTaskCount, 0.0,
              names.connectorUnassignedTaskCount, 0.0,
              names.connectorRestartingTaskCount, 0.0,
              names.connectorDestroyedTaskCount, 0.0);
      counts.forEach((name, value) -> group.addValueMetric(name, now -> value));

      String scrape;
      // Served as `local --capture-metrics-port` serves it, with the rules the workers run.
      try (CaptureMetrics served = CaptureMetrics.serve(0)) {
        scrape = DashboardQueries.scrape("http://127.0.0.1:" + served.port() + "/metrics");
      }

      assertThat(scrape)
          .contains(
              "kafka_connect_connector_tasks{connector=\"civil-registry-rules\",state=\"failed\"} 1.0",
              "kafka_connect_connector_tasks{connector=\"civil-registry-rules\",state=\"running\"} 0.0",
              "kafka_connect_connector_tasks{connector=\"civil-registry-rules\",state=\"unassigned\"} 0.0");
      List<String> queries = DashboardQueries.all();
      assertThat(DashboardQueries.metricsAndLabels(queries, "kafka_connect_"))
          .as("the dashboard charts failed tasks")
          .containsKey("kafka_connect_connector_tasks");
      assertThat(
              DashboardQueries.missingFrom(
                  scrape, DashboardQueries.metricsAndLabels(queries, "kafka_connect_")))
          .isEmpty();
    } finally {
      metrics.stop();
    }
  }
}
