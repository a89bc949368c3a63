package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static vn.ndc.sync.config.K8sManifests.at;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.testing.DashboardQueries;

/**
 * The alerts ({@code k8s/monitoring/alerts.yaml}) page with a severity and a text, are part of the
 * monitoring kustomization, and behave as their promtool unit tests ({@code alerts-test.yaml}) say;
 * the dashboard's queries parse as PromQL. The promtool checks need Prometheus's {@code promtool}
 * on the PATH or in {@code .tools/bin/} ({@code .ci/run} unpacks it there from Debian's package);
 * without it they are skipped and say so. ({@code PersonSyncIT} checks that the metrics and labels
 * the rules use are what the pipeline serves.)
 */
class PrometheusRulesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path tmp;

  @Test
  void everyAlertHasASeverityATextAndAFiringCaseInItsTests() throws Exception {
    List<Map<String, Object>> rules = K8sManifests.alertRules();
    Map<String, Object> tests = YAML.readValue(K8sManifests.K8S.resolve(TESTS).toFile(), Map.class);
    Set<String> firedInTests = new TreeSet<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> check : (List<Map<String, Object>>) group.get("alert_rule_test")) {
        if (!((List<?>) check.get("exp_alerts")).isEmpty()) {
          firedInTests.add((String) check.get("alertname"));
        }
      }
    }

    assertThat(rules).hasSizeGreaterThan(10);
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> rule : rules) {
      String alert = (String) rule.get("alert");
      assertThat(alert).as("only alerting rules: %s", rule).isNotBlank();
      assertThat(names.add(alert)).as("alert names are unique: %s", alert).isTrue();
      assertThat((String) at(rule, "labels", "severity")).as(alert).isIn("critical", "warning");
      assertThat((String) at(rule, "annotations", "summary")).as(alert).isNotBlank();
      assertThat((String) at(rule, "annotations", "description")).as(alert).isNotBlank();
    }
    assertThat(firedInTests).as("alerts that some test makes fire").isEqualTo(names);
    assertThat(
            (List<String>)
                at(
                    K8sManifests.find("monitoring/kustomization.yaml", "Kustomization", null),
                    "resources"))
        .contains("alerts.yaml");
  }

  @Test
  void theAlertsFireAsTheirPromtoolTestsSay() throws Exception {
    Path promtool = promtool();
    Files.writeString(
        tmp.resolve("rules.yaml"),
        YAML.writeValueAsString(Map.of("groups", K8sManifests.alertGroups())));
    Files.copy(K8sManifests.K8S.resolve(TESTS), tmp.resolve("alerts-test.yaml"));

    assertThat(run(promtool, "check", "rules", "rules.yaml")).contains("SUCCESS");
    assertThat(run(promtool, "test", "rules", "alerts-test.yaml")).contains("SUCCESS");
  }

  @Test
  void theDashboardsQueriesAreValidPromQl() throws Exception {
    Path promtool = promtool();
    // Recording rules, one per query, so that promtool parses each; Grafana's variable $job
    // becomes a regular expression that matches every job.
    List<Map<String, Object>> recorded = new ArrayList<>();
    List<String> queries = DashboardQueries.panels();
    for (int i = 0; i < queries.size(); i++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("record", "ndc_sync_dashboard:query_" + i);
      rule.put("expr", queries.get(i).replace("$job", ".*"));
      recorded.add(rule);
    }
    Files.writeString(
        tmp.resolve("dashboard.yaml"),
        YAML.writeValueAsString(
            Map.of("groups", List.of(Map.of("name", "dashboard", "rules", recorded)))));

    assertThat(queries).hasSizeGreaterThan(30);
    assertThat(run(promtool, "check", "rules", "dashboard.yaml"))
        .contains("SUCCESS: " + queries.size() + " rules found");
  }

  static final String TESTS = "monitoring/alerts-test.yaml";

  private static Path promtool() {
    Optional<Path> found =
        Stream.concat(
                Stream.of(
                        System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                    .filter(dir -> !dir.isEmpty())
                    .map(dir -> Path.of(dir, "promtool")),
                Stream.of(K8sManifests.K8S.resolveSibling(".tools").resolve("bin/promtool")))
            .filter(Files::isExecutable)
            .findFirst();
    assumeTrue(
        found.isPresent(),
        "promtool not found on the PATH or in .tools/bin (Debian: apt-get install prometheus;"
            + " .ci/run unpacks it into .tools/): the promtool checks are skipped");
    return found.get();
  }

  private String run(Path promtool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    return output;
  }
}
