package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kustomize refuses to render a base in which two resources have the same kind and name ("may not
 * add resource with an already registered id"), so one duplicated document makes the whole base
 * unusable, while every test that looks a manifest up by name still finds the first copy.
 */
class K8sBaseObjectsTest {

  @Test
  void theBaseDeclaresEachObjectOnce() throws Exception {
    Map<String, List<Map<String, Object>>> base = new LinkedHashMap<>();
    for (String file : K8sManifests.baseResources()) {
      base.put(file, K8sManifests.documents(file));
    }
    assertThat(base).containsKey("kafka/topics.yaml");
    assertThat(duplicates(base)).as("objects declared twice in the base").isEmpty();
  }

  @Test
  void anObjectDeclaredTwiceIsFoundAndTheSameNameInAnotherKindIsNot() {
    Map<String, Object> compacted = object("kafka.strimzi.io/v1", "KafkaTopic", "review.x");
    Map<String, Object> deleting = object("kafka.strimzi.io/v1", "KafkaTopic", "review.x");
    Map<String, Object> user = object("kafka.strimzi.io/v1", "KafkaUser", "review.x");

    assertThat(duplicates(Map.of("topics.yaml", List.of(compacted, user))))
        .as("one name, two kinds")
        .isEmpty();
    assertThat(
            duplicates(
                new LinkedHashMap<>(
                    Map.of("topics.yaml", List.of(compacted), "more.yaml", List.of(deleting)))))
        .singleElement()
        .asString()
        .contains("KafkaTopic", "review.x");
  }

  /** The objects that more than one document of {@code docsByFile} declares, with both files. */
  static List<String> duplicates(Map<String, List<Map<String, Object>>> docsByFile) {
    Map<String, String> firstSeenIn = new HashMap<>();
    List<String> found = new ArrayList<>();
    docsByFile.forEach(
        (file, docs) -> {
          for (Map<String, Object> doc : docs) {
            if (doc == null) {
              continue; // an empty document between two separators
            }
            String id = objectId(doc);
            String earlier = firstSeenIn.putIfAbsent(id, file);
            if (earlier != null) {
              found.add(id + " in " + earlier + " and " + file);
            }
          }
        });
    return found;
  }

  /** What kustomize tells resources apart by: API group, kind, namespace and name. */
  private static String objectId(Map<String, Object> doc) {
    String apiVersion = String.valueOf(doc.get("apiVersion"));
    int slash = apiVersion.indexOf('/');
    Object namespace = K8sManifests.at(doc, "metadata", "namespace");
    return (slash < 0 ? "" : apiVersion.substring(0, slash))
        + "/"
        + doc.get("kind")
        + "/"
        + (namespace == null ? "" : namespace)
        + "/"
        + K8sManifests.at(doc, "metadata", "name");
  }

  private static Map<String, Object> object(String apiVersion, String kind, String name) {
    return Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", name));
  }
}
