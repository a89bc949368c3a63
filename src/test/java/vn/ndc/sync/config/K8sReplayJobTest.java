package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter replay Job ({@code k8s/kafka/replay-dead-letters-job.yaml}) reaches the cluster
 * as the job does, with the replay user's certificate: its options equal the job's where the
 * command reads them, every file they name is mounted from the right Secret, and it runs the job's
 * image.
 */
class K8sReplayJobTest {

  private static final String FILE = "kafka/replay-dead-letters-job.yaml";

  private static final List<ConfigOption<String>> SHARED =
      List.of(
          PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS,
          PersonSyncOptions.KAFKA_SSL_TRUSTSTORE,
          PersonSyncOptions.KAFKA_SSL_KEYSTORE,
          PersonSyncOptions.REGISTRY_URL,
          PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE,
          PersonSyncOptions.DEAD_LETTER_TOPIC);

  private static Map<String, Object> podSpec() throws Exception {
    return at(
        K8sManifests.find(FILE, "Job", "ndc-replay-dead-letters"), "spec", "template", "spec");
  }

  private static Configuration replayOptions(Path dir) throws Exception {
    Map<String, Object> configMap = K8sManifests.find(FILE, "ConfigMap", "ndc-replay-options");
    Path file = dir.resolve("replay.yaml");
    Files.writeString(file, (String) at(configMap, "data", "replay.yaml"));
    return JobConfig.load(file, Map.of(), PersonSyncOptions.class);
  }

  @Test
  void itReadsTheJobsBrokersRegistryAndDeadLetterTopic(@TempDir Path dir) throws Exception {
    Configuration replay = replayOptions(dir);
    Configuration job = K8sManifests.jobConfig();

    for (ConfigOption<String> option : SHARED) {
      assertThat(replay.get(option)).as(option.key()).isEqualTo(job.get(option));
    }
    assertThat(replay.get(PersonSyncOptions.KAFKA_SECURITY_PROTOCOL))
        .isEqualTo(job.get(PersonSyncOptions.KAFKA_SECURITY_PROTOCOL));
  }

  @Test
  void everyFileItNamesIsMountedFromTheRightSecret(@TempDir Path dir) throws Exception {
    Configuration replay = replayOptions(dir);
    Map<String, Object> pod = podSpec();

    assertThat(K8sManifests.mountedFile(pod, "ndc-replay-options", "replay.yaml"))
        .hasToString(configArgument(pod));
    assertThat(K8sManifests.mountedFile(pod, "ndc-cluster-ca-cert", "ca.crt"))
        .hasToString(replay.get(PersonSyncOptions.KAFKA_SSL_TRUSTSTORE));
    assertThat(K8sManifests.mountedFile(pod, "ndc-replay", "user.p12"))
        .as("the replay user's certificate, not the job's")
        .hasToString(replay.get(PersonSyncOptions.KAFKA_SSL_KEYSTORE));
    assertThat(K8sManifests.secretRefOf(pod, "NDC_KAFKA_KEYSTORE_PASSWORD"))
        .containsExactly("ndc-replay", "user.password");
    assertThat(K8sManifests.mountedFile(pod, "apicurio-registry-tls", "ca.crt"))
        .hasToString(replay.get(PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE));
    K8sManifests.find("kafka/users.yaml", "KafkaUser", "ndc-replay");
  }

  @Test
  void itRunsTheReplayCommandOfTheJobsImage() throws Exception {
    Map<String, Object> container = K8sManifests.firstContainer(podSpec());
    Map<String, Object> deployment =
        K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);

    assertThat(container.get("image")).isEqualTo(at(deployment, "spec", "image"));
    List<String> command = at(container, "command");
    assertThat(command)
        .endsWith(
            at(deployment, "spec", "job", "jarURI").toString().replace("local://", ""),
            "replay-dead-letters");
  }

  private static String configArgument(Map<String, Object> pod) {
    List<String> args = at(K8sManifests.firstContainer(pod), "args");
    return args.get(args.indexOf("--config") + 1);
  }
}
