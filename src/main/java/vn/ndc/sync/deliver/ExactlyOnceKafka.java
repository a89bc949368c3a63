package vn.ndc.sync.deliver;

import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;

/**
 * Exactly-once settings of the job's Kafka sinks: records are written in a Kafka transaction that
 * commits when the Flink checkpoint covering them completes, so a {@code read_committed} reader
 * sees each record once, whatever restarts happen, but only after the next checkpoint.
 */
public final class ExactlyOnceKafka {

  /**
   * Longest a transaction may stay open, as long as the brokers allow ({@code
   * transaction.max.timeout.ms}: 1 h in {@code k8s/kafka/kafka.yaml} and in {@code local}). A
   * checkpoint completes before its transactions are committed; when the job fails in between, the
   * restarted job commits them, unless the broker has aborted them by then, and an aborted
   * transaction's records are lost to the topic. So this bounds the outage the topics survive.
   */
  public static final Duration TRANSACTION_TIMEOUT = Duration.ofHours(1);

  /**
   * How long a producer waits to fill a request. Records become visible only when the checkpoint
   * commits their transaction, so lingering adds no visible latency, while each produce request
   * costs the broker a transaction verification whatever its size.
   */
  public static final Duration LINGER = Duration.ofMillis(100);

  private ExactlyOnceKafka() {}

  /**
   * Switches {@code builder} to exactly-once with transactional ids {@code <prefix>-<sink>-…}. The
   * prefix must be unique per job on the cluster and the same across restarts: Flink finds and
   * aborts the transactions a crashed run left open by it.
   */
  public static <T> KafkaSinkBuilder<T> exactlyOnce(
      KafkaSinkBuilder<T> builder, String transactionalIdPrefix, String sink) {
    return builder
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix + "-" + sink)
        .setProperty("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()))
        .setProperty("linger.ms", String.valueOf(LINGER.toMillis()))
        .setProperty("batch.size", String.valueOf(256 * 1024));
  }
}
