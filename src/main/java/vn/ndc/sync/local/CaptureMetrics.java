package vn.ndc.sync.local;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.management.MalformedObjectNameException;

/**
 * The captures' Debezium metrics (and any Kafka Connect worker metrics) of this JVM in Prometheus
 * format, through the JMX exporter rules the Kafka Connect workers run in Kubernetes ({@code
 * k8s/connect/metrics-config.yml}, copied into the jar at build), so that {@code local} feeds the
 * dashboard's capture row as a worker does.
 */
public final class CaptureMetrics implements AutoCloseable {

  /** The rules file in the jar: {@code k8s/connect/metrics-config.yml}. */
  static final String RULES = "metrics-config.yml";

  private final HTTPServer server;

  private CaptureMetrics(HTTPServer server) {
    this.server = server;
  }

  /** Serves the metrics at {@code http://127.0.0.1:<port>/metrics}; port 0 picks a free one. */
  public static CaptureMetrics serve(int port) {
    try {
      return new CaptureMetrics(
          HTTPServer.builder()
              .hostname("127.0.0.1")
              .port(port)
              .registry(registry())
              .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the capture metrics on port " + port, e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  // A registry of its own, as the exporter's agent has: the collector's own gauges (scrape
  // duration, errors) exist only once it is registered, and nothing else of the JVM is served.
  private static PrometheusRegistry registry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (InputStream rules = CaptureMetrics.class.getResourceAsStream(RULES)) {
      if (rules == null) {
        throw new IllegalStateException(
            RULES + " (k8s/connect/metrics-config.yml) is missing from the jar");
      }
      new JmxCollector(new String(rules.readAllBytes(), StandardCharsets.UTF_8)).register(registry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(RULES + ": " + e.getMessage(), e);
    }
    return registry;
  }

  @Override
  public void close() {
    server.close();
  }
}
