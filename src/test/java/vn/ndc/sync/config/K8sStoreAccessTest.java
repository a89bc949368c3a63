package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes deployment connects the job to the NDC store as the role the server's init script
 * creates for it, from one Secret, and not as the server's superuser. (What the script sets up is
 * run and checked by {@code StoreAccessIT}.)
 */
class K8sStoreAccessTest {

  private static final String WRITER = "ndc-store-writer";

  @Test
  void theJobConnectsAsTheStoreWriterRoleNotTheSuperuser() throws Exception {
    var conf = K8sManifests.jobConfig();
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);

    assertThat(conf.get(PersonSyncOptions.STORE_USER))
        .isEqualTo(K8sManifests.templateSecret(WRITER).get("username"))
        .isNotEqualTo(K8sManifests.templateSecret("ndc-postgres").get("username"));
    assertThat(
            K8sManifests.secretRefOf(
                at(deployment, "spec", "podTemplate", "spec"), "NDC_STORE_PASSWORD"))
        .containsExactly(WRITER, "password");
  }

  @Test
  void theServersInitScriptCreatesThatRoleFromTheSameSecret() throws Exception {
    Map<String, Object> server =
        K8sManifests.find("postgres/ndc-postgres.yaml", "StatefulSet", "ndc-postgres");
    Map<String, Object> podSpec = at(server, "spec", "template", "spec");
    String script =
        at(
            K8sManifests.find("postgres/ndc-postgres.yaml", "ConfigMap", "ndc-postgres-init"),
            "data",
            "20-ndc-store-access.sh");

    assertThat(K8sManifests.secretRefOf(podSpec, "NDC_STORE_USER"))
        .containsExactly(WRITER, "username");
    assertThat(K8sManifests.secretRefOf(podSpec, "NDC_STORE_PASSWORD"))
        .containsExactly(WRITER, "password");
    assertThat(script)
        .contains("-v job_user=\"$NDC_STORE_USER\"")
        .contains("-v job_password=\"$NDC_STORE_PASSWORD\"")
        .contains("--dbname ndc");
    assertThat(PsqlScript.statements(script, Map.of("job_user", "u", "job_password", "p")))
        .contains("CREATE ROLE \"u\" LOGIN PASSWORD 'p';");
  }
}
