package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes manifest under {@code k8s/} reads into the Java model of its API (Strimzi's
 * custom resources, Kubernetes' built-in kinds, the Prometheus Operator's, cert-manager's; the
 * Flink Kubernetes Operator's against its CRD's schema) with no field the model does not know: a
 * misspelt or misplaced field, which a cluster would reject or silently ignore, fails here, where
 * no cluster runs. The kinds no model here covers are named, so that a new kind cannot slip by
 * unchecked.
 */
class K8sManifestModelsTest {

  /** apiVersion/kind → the model class. */
  private static final Map<String, String> MODELS =
      Map.ofEntries(
          Map.entry("kafka.strimzi.io/v1/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
          Map.entry(
              "kafka.strimzi.io/v1/KafkaNodePool",
              "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
          Map.entry(
              "kafka.strimzi.io/v1/KafkaConnect",
              "io.strimzi.api.kafka.model.connect.KafkaConnect"),
          Map.entry(
              "kafka.strimzi.io/v1/KafkaConnector",
              "io.strimzi.api.kafka.model.connector.KafkaConnector"),
          Map.entry(
              "kafka.strimzi.io/v1/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"),
          Map.entry("kafka.strimzi.io/v1/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser"),
          Map.entry("v1/Namespace", "io.fabric8.kubernetes.api.model.Namespace"),
          Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
          Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
          Map.entry("v1/Secret", "io.fabric8.kubernetes.api.model.Secret"),
          Map.entry(
              "v1/PersistentVolumeClaim", "io.fabric8.kubernetes.api.model.PersistentVolumeClaim"),
          Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
          Map.entry("apps/v1/StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet"),
          Map.entry("batch/v1/Job", "io.fabric8.kubernetes.api.model.batch.v1.Job"),
          Map.entry(
              "rbac.authorization.k8s.io/v1/Role", "io.fabric8.kubernetes.api.model.rbac.Role"),
          Map.entry(
              "rbac.authorization.k8s.io/v1/RoleBinding",
              "io.fabric8.kubernetes.api.model.rbac.RoleBinding"),
          Map.entry(
              "networking.k8s.io/v1/NetworkPolicy",
              "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
          Map.entry(
              "monitoring.coreos.com/v1/PodMonitor",
              "io.fabric8.openshift.api.model.monitoring.v1.PodMonitor"),
          Map.entry(
              "monitoring.coreos.com/v1/PrometheusRule",
              "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule"),
          Map.entry(
              "cert-manager.io/v1/Certificate", "io.fabric8.certmanager.api.model.v1.Certificate"),
          Map.entry("cert-manager.io/v1/Issuer", "io.fabric8.certmanager.api.model.v1.Issuer"));

  private static final String FLINK_DEPLOYMENT = "flink.apache.org/v1beta1/FlinkDeployment";

  /**
   * Kinds checked against their CRD's schema instead of a model: the Flink Kubernetes Operator's,
   * whose API jar on Maven Central (1.10) is built against Flink 1.20. Its CRD predates Flink 2.2,
   * so the one value that later operator releases added and the manifest needs is allowed.
   */
  private static final Map<String, String> CRDS =
      Map.of(FLINK_DEPLOYMENT, "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml");

  /** Kinds neither a model nor a CRD here covers: kustomize's own files, which it reads itself. */
  private static final Set<String> UNCHECKED =
      Set.of("kustomize.config.k8s.io/v1beta1/Kustomization");

  private final ObjectMapper models =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void everyManifestReadsIntoItsApisModelWithNoUnknownField() throws Exception {
    List<String> unknown = new ArrayList<>();
    Set<String> kinds = new TreeSet<>();
    Set<String> uncheckedSeen = new TreeSet<>();
    int checked = 0;
    for (String file : manifests()) {
      for (Map<String, Object> doc : K8sManifests.documents(file)) {
        if (doc == null || doc.get("kind") == null) {
          continue;
        }
        String type = doc.get("apiVersion") + "/" + doc.get("kind");
        String where = file + " " + type + " " + K8sManifests.at(doc, "metadata", "name");
        kinds.add(type);
        if (UNCHECKED.contains(type)) {
          uncheckedSeen.add(type);
          continue;
        }
        if (CRDS.containsKey(type)) {
          crd(type).violations(doc).forEach(v -> unknown.add(where + ": " + v));
          checked++;
          continue;
        }
        assertThat(MODELS).as("a model for " + where).containsKey(type);
        Object model = models.convertValue(doc, Class.forName(MODELS.get(type)));
        collectUnknown(model, where, unknown);
        checked++;
      }
    }

    assertThat(unknown).as("fields the APIs' models do not know").isEmpty();
    assertThat(checked).isGreaterThan(40);
    assertThat(uncheckedSeen).as("kinds left unchecked").isEqualTo(UNCHECKED);
  }

  @Test
  void aMisplacedFieldIsFound() throws Exception {
    Map<String, Object> kafka = K8sManifests.find("kafka/kafka.yaml", "Kafka", "ndc");
    Map<String, Object> spec = K8sManifests.at(kafka, "spec");
    // metricsConfig belongs under spec.kafka, not on spec itself.
    spec.put("metricsConfig", K8sManifests.at(kafka, "spec", "kafka", "metricsConfig"));
    List<String> unknown = new ArrayList<>();

    collectUnknown(
        models.convertValue(kafka, Class.forName(MODELS.get("kafka.strimzi.io/v1/Kafka"))),
        "kafka",
        unknown);

    assertThat(unknown).singleElement().asString().contains("spec").contains("metricsConfig");
  }

  @Test
  void theFlinkDeploymentsSchemaFindsAMisplacedFieldAWrongTypeAndAnUnknownVersion()
      throws Exception {
    Map<String, Object> job = K8sManifests.find("flink/person-sync.yaml", "FlinkDeployment", null);
    assertThat(crd(FLINK_DEPLOYMENT).violations(job)).isEmpty();
    Map<String, Object> spec = K8sManifests.at(job, "spec");
    // parallelism belongs under spec.job; the configuration's values are strings; and the
    // allowance for Flink 2.2 is for that one value.
    spec.put("parallelism", K8sManifests.at(job, "spec", "job", "parallelism"));
    K8sManifests.<Map<String, Object>>at(job, "spec", "flinkConfiguration")
        .put("taskmanager.numberOfTaskSlots", 2);
    spec.put("flinkVersion", "v2_9");

    assertThat(crd(FLINK_DEPLOYMENT).violations(job))
        .containsExactlyInAnyOrder(
            "spec.parallelism: not in the schema",
            "spec.flinkConfiguration.taskmanager.numberOfTaskSlots: expected a string, got 2",
            "spec.flinkVersion: v2_9 is not one of [v1_13, v1_14, v1_15, v1_16, v1_17, v1_18,"
                + " v1_19, v1_20]");
  }

  private static CrdSchema crd(String type) throws Exception {
    return CrdSchema.fromClassPath(
        CRDS.get(type), "v1beta1", Map.of("spec.flinkVersion", Set.of("v2_2")));
  }

  private static List<String> manifests() throws Exception {
    Path k8s = K8sManifests.K8S;
    try (Stream<Path> files = Files.walk(k8s)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .map(f -> k8s.relativize(f).toString().replace('\\', '/'))
          // Not Kubernetes objects: the job's options, promtool's tests, kustomize's settings.
          .filter(f -> !f.startsWith("jobs/"))
          .filter(f -> !f.startsWith("kustomizeconfig/"))
          .filter(f -> !f.endsWith("alerts-test.yaml"))
          .sorted()
          .toList();
    }
  }

  /**
   * Fabric8's and Strimzi's models keep what they do not know in {@code additionalProperties}
   * instead of failing: walk the model and report every such field with where it is.
   */
  private static void collectUnknown(Object node, String path, List<String> out) throws Exception {
    if (node == null
        || node instanceof CharSequence
        || node instanceof Number
        || node instanceof Boolean
        || node instanceof Enum<?>) {
      return;
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        collectUnknown(e.getValue(), path + "." + e.getKey(), out);
      }
      return;
    }
    if (node instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        collectUnknown(item, path + "[" + i++ + "]", out);
      }
      return;
    }
    String pkg = node.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || getter.isBridge()
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class
          || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue; // a derived property that needs more than the manifest gives
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": " + extra.keySet());
        }
        continue;
      }
      collectUnknown(value, path + "." + property(getter.getName()), out);
    }
  }

  private static String property(String getter) {
    String name = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
