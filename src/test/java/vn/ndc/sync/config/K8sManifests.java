package vn.ndc.sync.config;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Kubernetes manifests under {@code k8s/}, read as YAML for tests that keep them in step. */
public final class K8sManifests {

  static final Path K8S = Path.of(System.getProperty("ndc.project.dir", ".")).resolve("k8s");

  private K8sManifests() {}

  /** Every document of {@code k8s/<file>}. */
  public static List<Map<String, Object>> documents(String file) throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it =
        new ObjectMapper(new YAMLFactory())
            .readerForMapOf(Object.class)
            .readValues(K8S.resolve(file).toFile())) {
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }

  /** The document of {@code kind} named {@code name} (any name when null) in {@code k8s/<file>}. */
  public static Map<String, Object> find(String file, String kind, String name) throws Exception {
    return documents(file).stream()
        .filter(d -> kind.equals(d.get("kind")))
        .filter(d -> name == null || name.equals(at(d, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + file));
  }

  /** The kustomize base, {@code k8s/kustomization.yaml}. */
  public static Map<String, Object> base() throws Exception {
    return find("kustomization.yaml", "Kustomization", null);
  }

  /** The resources the base applies, as paths under {@code k8s/}. */
  public static List<String> baseResources() throws Exception {
    return at(base(), "resources");
  }

  /**
   * The rule groups of the alerts, PrometheusRule ndc-sync in {@code k8s/monitoring/alerts.yaml}.
   */
  public static List<Map<String, Object>> alertGroups() throws Exception {
    return at(find("monitoring/alerts.yaml", "PrometheusRule", "ndc-sync"), "spec", "groups");
  }

  /** Every alerting rule of {@link #alertGroups()}. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> alertRules() throws Exception {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : alertGroups()) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  /** The job's options for the cluster, {@code k8s/jobs/person-sync.yaml}, validated. */
  public static org.apache.flink.configuration.Configuration jobConfig() {
    return JobConfig.load(K8S.resolve("jobs/person-sync.yaml"), Map.of(), PersonSyncOptions.class);
  }

  /** The keys the Secrets template gives Secret {@code name}. */
  public static Map<String, Object> templateSecret(String name) throws Exception {
    return at(find("secrets/secrets.template.yaml", "Secret", name), "stringData");
  }

  /** The value at {@code path} under {@code node}, or null where a step is missing. */
  @SuppressWarnings("unchecked")
  public static <T> T at(Object node, String... path) {
    Object current = node;
    for (String step : path) {
      if (!(current instanceof Map<?, ?>)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  /** The NDC store's access script, as the server's init ConfigMap holds it. */
  public static String storeAccessScript() throws Exception {
    return at(
        find("postgres/ndc-postgres.yaml", "ConfigMap", "ndc-postgres-init"),
        "data",
        STORE_ACCESS_SCRIPT);
  }

  /** Key of the store's access script in ConfigMap {@code ndc-postgres-init}. */
  public static final String STORE_ACCESS_SCRIPT = "20-ndc-store-access.sh";

  /** The first container of {@code podSpec}: the one the project's manifests run their work in. */
  public static Map<String, Object> firstContainer(Map<String, Object> podSpec) {
    List<Map<String, Object>> containers = at(podSpec, "containers");
    return containers.get(0);
  }

  /** The environment of the first container of {@code podSpec}. */
  public static List<Map<String, Object>> env(Map<String, Object> podSpec) {
    return at(firstContainer(podSpec), "env");
  }

  /** The Secret and key the first container of {@code podSpec} takes variable {@code name} from. */
  public static List<String> secretRefOf(Map<String, Object> podSpec, String name) {
    return env(podSpec).stream()
        .filter(e -> name.equals(e.get("name")))
        .map(
            e ->
                List.of(
                    (String) at(e, "valueFrom", "secretKeyRef", "name"),
                    (String) at(e, "valueFrom", "secretKeyRef", "key")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no variable " + name + " in " + env(podSpec)));
  }

  /**
   * Where the first container of {@code podSpec} sees key {@code key} of the Secret or ConfigMap
   * {@code source}: its volume's mount path and the key's path in it; null when it does not.
   */
  public static Path mountedFile(Map<String, Object> podSpec, String source, String key) {
    List<Map<String, Object>> volumes = at(podSpec, "volumes");
    List<Map<String, Object>> mounts = at(firstContainer(podSpec), "volumeMounts");
    for (Map<String, Object> volume : volumes) {
      boolean fromSource =
          source.equals(at(volume, "secret", "secretName"))
              || source.equals(at(volume, "configMap", "name"));
      if (!fromSource) {
        continue;
      }
      List<Map<String, Object>> items =
          at(volume, "secret", "items") != null
              ? at(volume, "secret", "items")
              : at(volume, "configMap", "items");
      String file = key;
      if (items != null) {
        file =
            items.stream()
                .filter(i -> key.equals(i.get("key")))
                .map(i -> (String) i.get("path"))
                .findFirst()
                .orElse(null);
      }
      for (Map<String, Object> mount : mounts) {
        if (file != null && volume.get("name").equals(mount.get("name"))) {
          return Path.of((String) mount.get("mountPath")).resolve(file);
        }
      }
    }
    return null;
  }
}
