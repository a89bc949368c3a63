package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.nio.file.Path;
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
    String script = K8sManifests.storeAccessScript();

    assertThat(K8sManifests.secretRefOf(podSpec, "NDC_STORE_USER"))
        .containsExactly(WRITER, "username");
    assertThat(K8sManifests.secretRefOf(podSpec, "NDC_STORE_PASSWORD"))
        .containsExactly(WRITER, "password");
    assertThat(script)
        .contains("-v job_user=\"$NDC_STORE_USER\"")
        .contains("-v job_password=\"$NDC_STORE_PASSWORD\"")
        .contains("--dbname ndc");
    assertThat(PsqlScript.statements(script, Map.of("job_user", "u", "job_password", "p")))
        .contains("SELECT set_config('ndc.job_user', 'u', false) IS NOT NULL AS user_set;")
        .contains("SELECT set_config('ndc.job_password', 'p', false) IS NOT NULL AS password_set;")
        .anySatisfy(sql -> assertThat(sql).startsWith("DO $$").contains("CREATE ROLE %I"));
  }

  @Test
  void theAccessJobRunsThatScriptOnTheRunningServerOverVerifiedTls() throws Exception {
    Map<String, Object> job =
        K8sManifests.find("postgres/ndc-store-access-job.yaml", "Job", "ndc-store-access");
    Map<String, Object> podSpec = at(job, "spec", "template", "spec");
    Map<String, Object> serverSpec =
        at(
            K8sManifests.find("postgres/ndc-postgres.yaml", "StatefulSet", "ndc-postgres"),
            "spec",
            "template",
            "spec");
    Map<String, Object> certificate =
        K8sManifests.find("postgres/ndc-postgres-tls.yaml", "Certificate", "ndc-postgres-tls");

    assertThat((String) at(job, "metadata", "namespace"))
        .isEqualTo(at(K8sManifests.base(), "namespace"));
    Path script =
        K8sManifests.mountedFile(podSpec, "ndc-postgres-init", K8sManifests.STORE_ACCESS_SCRIPT);
    assertThat(script).isNotNull();
    assertThat((List<String>) at(K8sManifests.firstContainer(podSpec), "command"))
        .contains(script.toString());
    // The script reads these; they must come from where the server's own run takes them.
    for (String variable : List.of("POSTGRES_USER", "NDC_STORE_USER", "NDC_STORE_PASSWORD")) {
      assertThat(K8sManifests.secretRefOf(podSpec, variable))
          .as(variable)
          .isEqualTo(K8sManifests.secretRefOf(serverSpec, variable));
    }
    assertThat(K8sManifests.secretRefOf(podSpec, "PGPASSWORD"))
        .isEqualTo(K8sManifests.secretRefOf(serverSpec, "POSTGRES_PASSWORD"));
    assertThat(value(podSpec, "PGSSLMODE")).isEqualTo("verify-full");
    assertThat((List<String>) at(certificate, "spec", "dnsNames"))
        .contains(value(podSpec, "PGHOST"));
    assertThat(value(podSpec, "PGSSLROOTCERT"))
        .isEqualTo(String.valueOf(K8sManifests.mountedFile(podSpec, "ndc-postgres-tls", "ca.crt")));
  }

  private static String value(Map<String, Object> podSpec, String name) {
    return K8sManifests.env(podSpec).stream()
        .filter(e -> name.equals(e.get("name")))
        .map(e -> (String) e.get("value"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no variable " + name));
  }
}
