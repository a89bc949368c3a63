package vn.ndc.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.config.K8sManifests.at;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.deliver.ExactlyOnceKafka;
import vn.ndc.sync.local.LocalKafka;

/**
 * A broker refuses a producer that asks for a longer transaction than it allows, so the job's
 * exactly-once sinks would not start; and the longer the transaction, the longer an outage the
 * topics survive, so the sinks ask for all that both the cluster's and {@code local}'s brokers
 * give.
 */
class TransactionTimeoutTest {

  @Test
  void theSinksAskForTheLongestTransactionBothBrokersAllow() throws Exception {
    Object clusterMax =
        at(
            K8sManifests.find("kafka/kafka.yaml", "Kafka", null),
            "spec",
            "kafka",
            "config",
            "transaction.max.timeout.ms");
    assertThat(clusterMax).isNotNull();
    Duration cluster = Duration.ofMillis(Long.parseLong(clusterMax.toString()));

    assertThat(ExactlyOnceKafka.TRANSACTION_TIMEOUT)
        .isEqualTo(cluster)
        .isEqualTo(LocalKafka.MAX_TRANSACTION_TIMEOUT);
  }
}
