package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job's dedup remembers each source row's last version for {@code enrich.redelivery-ttl}. A raw
 * record older than that, read again (a job restarted from an early offset, a replay from the
 * start), passes dedup as if it were new and is sent on to every topic the job writes, where only
 * the store's ordered upsert stops it. So in the cluster the window must outlast what the raw
 * topics keep.
 */
class K8sRedeliveryWindowTest {

  @Test
  void theClusterJobRemembersRowsLongerThanTheRawTopicsKeepThem() throws Exception {
    Duration window = K8sManifests.jobConfig().get(PersonSyncOptions.REDELIVERY_TTL);
    List<Map<String, Object>> rawTopics =
        K8sManifests.documents("kafka/topics.yaml").stream()
            .filter(d -> d != null && "KafkaTopic".equals(d.get("kind")))
            .filter(d -> String.valueOf((Object) at(d, "spec", "topicName")).startsWith("raw."))
            .toList();
    assertThat(rawTopics).isNotEmpty();
    for (Map<String, Object> topic : rawTopics) {
      String name = at(topic, "metadata", "name");
      Object policy = at(topic, "spec", "config", "cleanup.policy");
      if ("compact".equals(policy)) {
        // Kept for ever, so no window outlasts it; what it keeps is each row's latest version,
        // which read again changes nothing in the store.
        continue;
      }
      Object retention = at(topic, "spec", "config", "retention.ms");
      assertThat(retention).as("retention of " + name).isNotNull();
      assertThat(window)
          .as("enrich.redelivery-ttl against the retention of " + name)
          .isGreaterThan(Duration.ofMillis(Long.parseLong(retention.toString())));
    }
  }
}
