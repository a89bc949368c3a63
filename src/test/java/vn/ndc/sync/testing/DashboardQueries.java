package vn.ndc.sync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.ndc.sync.config.K8sManifests;

/**
 * The metrics and labels the operators' dashboard ({@code deploy/dashboards/ndc-sync.json})
 * queries, to hold against what a scrape serves.
 */
public final class DashboardQueries {

  private DashboardQueries() {}

  /**
   * Every query the operators rely on: the dashboard's panels' and the alert rules' ({@code
   * k8s/monitoring/alerts.yaml}).
   */
  public static List<String> all() throws Exception {
    List<String> queries = new ArrayList<>(panels());
    for (Map<String, Object> alert : K8sManifests.alertRules()) {
      queries.add((String) alert.get("expr"));
    }
    return queries;
  }

  /** Every query of every panel of the dashboard. */
  public static List<String> panels() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                Path.of(System.getProperty("ndc.project.dir", "."))
                    .resolve("deploy/dashboards/ndc-sync.json")
                    .toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.get("expr").asText());
      }
    }
    return queries;
  }

  /**
   * Of the queries' metrics whose name starts with {@code prefix}: each with the labels the queries
   * filter it by or group it by.
   */
  public static Map<String, Set<String>> metricsAndLabels(List<String> queries, String prefix) {
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    Pattern metric = Pattern.compile("(" + Pattern.quote(prefix) + "\\w+)(?:\\{([^}]*)\\})?");
    Pattern grouped =
        Pattern.compile("by \\(([^)]*)\\) \\((?:\\w+\\()?(" + Pattern.quote(prefix) + "\\w+)");
    for (String query : queries) {
      Matcher m = metric.matcher(query);
      while (m.find()) {
        Set<String> labels = expected.computeIfAbsent(m.group(1), k -> new TreeSet<>());
        if (m.group(2) != null) {
          for (String matcher : m.group(2).split(",")) {
            labels.add(matcher.strip().split("[=!~]")[0]);
          }
        }
      }
      Matcher g = grouped.matcher(query);
      while (g.find()) {
        for (String label : g.group(1).split(",")) {
          expected.get(g.group(2)).add(label.strip());
        }
      }
    }
    return expected;
  }

  /** The value that {@code regex}'s first group captures in {@code scrape}; fails without one. */
  public static double sample(String scrape, String regex) {
    Matcher m = Pattern.compile(regex).matcher(scrape);
    assertThat(m.find()).as(regex).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Of {@code expected} (metric → labels), what no sample line of {@code scrape} carries. */
  public static Map<String, Set<String>> missingFrom(
      String scrape, Map<String, Set<String>> expected) {
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    expected.forEach(
        (name, labels) -> {
          List<String> lines =
              scrape
                  .lines()
                  .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                  .toList();
          Set<String> absent = new TreeSet<>(labels);
          if (lines.isEmpty()) {
            absent.add("(no sample)");
          } else {
            absent.removeIf(label -> lines.stream().anyMatch(l -> l.contains(label + "=\"")));
          }
          if (!absent.isEmpty()) {
            missing.put(name, absent);
          }
        });
    return missing;
  }

  /** One scrape of a Prometheus endpoint. */
  public static String scrape(String url) throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
