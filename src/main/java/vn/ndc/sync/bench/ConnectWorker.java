package vn.ndc.sync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.ndc.sync.local.Ports;

/**
 * A stock Kafka Connect standalone worker ({@code ConnectStandalone}) in a child JVM on this JVM's
 * class path, with the JsonConverter (schemas enabled) and connectors added over REST.
 */
final class ConnectWorker implements AutoCloseable {

  private final Process process;
  private final String rest;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private ConnectWorker(Process process, String rest) {
    this.process = process;
    this.rest = rest;
  }

  /** Starts the worker with its files under {@code dir} and waits for its REST API. */
  static ConnectWorker start(Path dir, String bootstrapServers) throws IOException {
    Files.createDirectories(dir);
    int port = Ports.resolve(0, "connect-rest");
    Map<String, String> worker = new LinkedHashMap<>();
    worker.put("bootstrap.servers", bootstrapServers);
    worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
    worker.put("listeners", "http://127.0.0.1:" + port);
    // Every plugin on the class path has a ServiceLoader manifest: skip the slow reflective scan.
    worker.put("plugin.discovery", "service_load");
    StringBuilder text = new StringBuilder();
    worker.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Path props = dir.resolve("worker.properties");
    Files.writeString(props, text.toString());

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dndc.log.file=" + dir.resolve("connect.log"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.apache.kafka.connect.cli.ConnectStandalone");
    command.add(props.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("connect.out").toFile()))
            .start();
    ConnectWorker w = new ConnectWorker(process, "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Connect worker exited with "
                + process.exitValue()
                + "; see "
                + dir.resolve("connect.out"));
      }
      try {
        if (w.send(HttpRequest.newBuilder(URI.create(w.rest + "/connectors")).GET()).statusCode()
            == 200) {
          return w;
        }
      } catch (IOException e) {
        // not listening yet
      }
      BenchTable.sleep(250);
    }
    w.close();
    throw new IllegalStateException("the Connect worker's REST API did not come up; see " + dir);
  }

  long pid() {
    return process.pid();
  }

  /** Creates a connector; fails with the worker's answer if it refuses. */
  void create(String name, Map<String, String> config) throws IOException {
    String body = json.writeValueAsString(Map.of("name", name, "config", config));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(rest + "/connectors"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("Connect refused connector " + name + ": " + r.body());
    }
  }

  /** The state of a connector and its tasks, as the REST API reports it (for error messages). */
  String status(String name) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(rest + "/connectors/" + name + "/status")).GET())
        .body();
  }

  /** True when the connector or one of its tasks is FAILED. */
  boolean failed(String name) throws IOException {
    return status(name).contains("\"FAILED\"");
  }

  void delete(String name) throws IOException {
    send(HttpRequest.newBuilder(URI.create(rest + "/connectors/" + name)).DELETE());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static void requireAlive(ConnectWorker w) {
    if (!w.process.isAlive()) {
      throw new UncheckedIOException(new IOException("the Connect worker died"));
    }
  }
}
