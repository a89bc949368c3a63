package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.local.CaptureMetrics;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.testing.DashboardQueries;

/**
 * The dashboard's broker row and the Kafka alerts use what the Kafka nodes serve through Strimzi's
 * JMX exporter with the rules in {@code k8s/kafka/metrics-config.yml}. A real Kafka 4.3 broker,
 * served as {@code local --capture-metrics-port} serves its in-process broker, yields every broker
 * metric and label they query, and shows a topic's records and log on disk.
 *
 * <p>The broker is this test's own: Kafka's metrics registry is one per JVM, so a broker that
 * another test stops unregisters the broker-wide gauges of any other broker running beside it, the
 * shared pipeline's included, which {@code local} (one broker per JVM) never sees.
 */
class BrokerMetricsRulesIT {

  @TempDir Path tmp;

  @Test
  void theDashboardsBrokerQueriesFindKafkasMetricsThroughTheNodesRules() throws Exception {
    // Per-topic metrics are named by topic alone, so a name no other test's broker uses.
    String topic = "raw.broker-metrics.t_" + Long.toHexString(System.nanoTime());
    String scrape;
    try (LocalKafka kafka = LocalKafka.start(tmp.resolve("kafka"), 0);
        CaptureMetrics served = CaptureMetrics.serve(0)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      }
      Properties producer = new Properties();
      producer.put("bootstrap.servers", kafka.bootstrapServers());
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 10; i++) {
          p.send(new ProducerRecord<>(topic, 0, "k" + i, "change " + i)).get();
        }
      }
      scrape = DashboardQueries.scrape("http://127.0.0.1:" + served.port() + "/metrics");
    }

    List<String> queries = DashboardQueries.all();
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    for (String prefix :
        List.of("kafka_server_", "kafka_network_", "kafka_log_", "kafka_controller_")) {
      expected.putAll(DashboardQueries.metricsAndLabels(queries, prefix));
    }
    assertThat(expected).as("the dashboard has a broker row").hasSizeGreaterThan(6);
    assertThat(DashboardQueries.missingFrom(scrape, expected))
        .as(
            "broker metrics, or their labels, the dashboard and alerts query but the exporter lacks")
        .isEmpty();
    String quoted = Pattern.quote(topic);
    assertThat(
            DashboardQueries.sample(
                scrape,
                "kafka_server_topic_messages_in_total\\{topic=\"" + quoted + "\"\\} (\\S+)"))
        .as("the records appended to the topic")
        .isEqualTo(10.0);
    assertThat(
            DashboardQueries.sample(
                scrape,
                "kafka_log_size_bytes\\{partition=\"0\",topic=\"" + quoted + "\"\\} (\\S+)"))
        .as("the partition's log on disk")
        .isPositive();
    assertThat(
            DashboardQueries.sample(
                scrape,
                "kafka_log_size_bytes\\{partition=\"1\",topic=\"" + quoted + "\"\\} (\\S+)"))
        .as("an empty partition")
        .isZero();
    assertThat(scrape)
        .as("the one node is the active controller, every partition in sync")
        .contains("kafka_controller_active 1.0")
        .contains("kafka_controller_offline_partitions 0.0")
        .contains("kafka_server_under_min_isr_partitions 0.0")
        .contains("kafka_server_under_replicated_partitions 0.0");
  }
}
