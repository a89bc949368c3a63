package vn.ndc.sync.testing;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Prometheus JMX exporter in a Kafka Connect worker would serve, with the rules Strimzi
 * gets from {@code k8s/connect/metrics-config.yml}, read from this JVM's MBeans.
 */
public final class ConnectMetricsExporter {

  /** The rules file the KafkaConnect resource's metricsConfig names. */
  public static final Path RULES =
      Path.of(System.getProperty("ndc.project.dir", ".")).resolve("k8s/connect/metrics-config.yml");

  private ConnectMetricsExporter() {}

  /** One scrape in Prometheus' text format. */
  public static String scrape() throws Exception {
    // A registry of its own, as the exporter's agent has: the collector's own gauges (scrape
    // duration, errors) exist only once it is registered.
    PrometheusRegistry registry = new PrometheusRegistry();
    new JmxCollector(Files.readString(RULES)).register(registry);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    return out.toString(StandardCharsets.UTF_8);
  }
}
