package vn.ndc.sync.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MalformedObjectNameException;

/**
 * The captures' Debezium metrics (and any Kafka Connect worker metrics) and the in-process Kafka
 * broker's metrics of this JVM in Prometheus format, through the JMX exporter rules that Strimzi
 * runs in Kubernetes ({@code k8s/connect/metrics-config.yml} in the Connect workers, {@code
 * k8s/kafka/metrics-config.yml} in the Kafka nodes; both copied into the jar at build), so that
 * {@code local} feeds the dashboard's capture and broker rows as the cluster does.
 */
public final class CaptureMetrics implements AutoCloseable {

  /** The rules files in the jar, as under {@code k8s/}: the Connect workers', the brokers'. */
  static final List<String> RULES =
      List.of("connect/metrics-config.yml", "kafka/metrics-config.yml");

  // The exporter reads YAML, of which JSON is a part.
  private static final ObjectMapper JSON = new ObjectMapper();

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
    try {
      new JmxCollector(JSON.writeValueAsString(mergedRules())).register(registry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException("k8s/*/metrics-config.yml: " + e.getMessage(), e);
    }
    return registry;
  }

  /**
   * One collector's config from both files: in the cluster a worker and a broker are separate
   * processes with a collector each, here one JVM holds both, and two collectors in one registry
   * would both claim the exporter's own metric names. The files' object names and rules are
   * disjoint, so their union selects and names what each file alone would.
   */
  private static Map<String, Object> mergedRules() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, Object> merged = new LinkedHashMap<>();
    List<Object> objectNames = new ArrayList<>();
    List<Object> rules = new ArrayList<>();
    for (String file : RULES) {
      try (InputStream in = CaptureMetrics.class.getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException(
              "k8s/" + file + " is missing from the jar (copied there by the build)");
        }
        Map<String, Object> config = yaml.readValue(in, new TypeReference<>() {});
        config.forEach(
            (key, value) -> {
              switch (key) {
                case "includeObjectNames" -> objectNames.addAll((List<?>) value);
                case "rules" -> rules.addAll((List<?>) value);
                default -> {
                  Object earlier = merged.putIfAbsent(key, value);
                  if (earlier != null && !earlier.equals(value)) {
                    throw new IllegalStateException(
                        "k8s/" + file + ": " + key + " differs from the other rules file's");
                  }
                }
              }
            });
      }
    }
    merged.put("includeObjectNames", objectNames);
    merged.put("rules", rules);
    return merged;
  }

  @Override
  public void close() {
    server.close();
  }
}
