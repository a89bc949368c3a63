package vn.ndc.sync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the job's Flink metrics through the REST API of the web UI, summed over subtasks: what a
 * dashboard would show, for the {@code --until-synced} summary.
 */
public final class JobMetrics {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String jobUrl;

  /** Metrics of job {@code jobId} on the REST endpoint {@code restUrl} (http://host:port). */
  public JobMetrics(String restUrl, String jobId) {
    this.jobUrl = restUrl + "/jobs/" + jobId;
  }

  /**
   * Every operator metric whose name ends with {@code .<suffix>}, summed over subtasks, by metric
   * name without the leading operator name (e.g. {@code agency.civil-registry.duplicatesDropped}).
   * Metrics of several operators with the same name are added up.
   */
  public Map<String, Long> sum(String suffix) throws IOException, InterruptedException {
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode vertex : get(jobUrl).path("vertices")) {
      String base = jobUrl + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode metric : get(base)) {
        String id = metric.path("id").asText();
        if (id.endsWith("." + suffix)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode value : get(base + "?agg=sum&get=" + query)) {
        String id = value.path("id").asText();
        int dot = id.indexOf('.');
        out.merge(
            dot < 0 ? id : id.substring(dot + 1),
            Math.round(value.path("sum").asDouble()),
            Long::sum);
      }
    }
    return out;
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
