package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes deployment connects the job to the NDC store as the role the server's init script
 * creates for it, from one Secret, and not as the server's superuser. (What the script sets up is
 * run and checked by {@code StoreAccessIT}.)
 */
class K8sStoreAccessTest {

  private static final String WRITER = "ndc-store-writer";

  /** Where {@code env} takes variable {@code name} from: Secret name and key. */
  private static List<String> secretOf(List<Map<String, Object>> env, String name) {
    return env.stream()
        .filter(e -> name.equals(e.get("name")))
        .map(
            e ->
                List.of(
                    (String) at(e, "valueFrom", "secretKeyRef", "name"),
                    (String) at(e, "valueFrom", "secretKeyRef", "key")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + env));
  }

  private static List<Map<String, Object>> firstContainerEnv(Map<String, Object> podSpec) {
    List<Map<String, Object>> containers = at(podSpec, "containers");
    return at(containers.get(0), "env");
  }

  @Test
  void theJobConnectsAsTheStoreWriterRoleNotTheSuperuser() throws Exception {
    var conf = K8sManifests.jobConfig();
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);

    assertThat(conf.get(PersonSyncOptions.STORE_USER))
        .isEqualTo(K8sManifests.templateSecret(WRITER).get("username"))
        .isNotEqualTo(K8sManifests.templateSecret("ndc-postgres").get("username"));
    assertThat(
            secretOf(
                firstContainerEnv(at(deployment, "spec", "podTemplate", "spec")),
                "NDC_STORE_PASSWORD"))
        .containsExactly(WRITER, "password");
  }

  @Test
  void theServersInitScriptCreatesThatRoleFromTheSameSecret() throws Exception {
    Map<String, Object> server =
        K8sManifests.find("postgres/ndc-postgres.yaml", "StatefulSet", "ndc-postgres");
    List<Map<String, Object>> env = firstContainerEnv(at(server, "spec", "template", "spec"));
    String script =
        at(
            K8sManifests.find("postgres/ndc-postgres.yaml", "ConfigMap", "ndc-postgres-init"),
            "data",
            "20-ndc-store-access.sh");

    assertThat(secretOf(env, "NDC_STORE_USER")).containsExactly(WRITER, "username");
    assertThat(secretOf(env, "NDC_STORE_PASSWORD")).containsExactly(WRITER, "password");
    assertThat(script)
        .contains("-v job_user=\"$NDC_STORE_USER\"")
        .contains("-v job_password=\"$NDC_STORE_PASSWORD\"")
        .contains("--dbname ndc");
    assertThat(PsqlScript.statements(script, Map.of("job_user", "u", "job_password", "p")))
        .contains("CREATE ROLE \"u\" LOGIN PASSWORD 'p';");
  }
}
