package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.config.KafkaClientSecurity;
import vn.ndc.sync.config.TestJobOptions;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.local.TestCertificates;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/**
 * The job's Kafka source and sinks against a broker that listens with TLS: they reach it only
 * through the job's TLS options, and a broker certificate from another CA is refused. A second
 * broker asks clients for a certificate (mutual TLS) and gets the job's keystore.
 */
class KafkaTlsIT {

  private static final String PASSWORD = TestCertificates.PASSWORD;

  private static final SharedTestStack stack = SharedTestStack.get();
  private static LocalKafka kafka;
  private static LocalKafka mutualKafka;
  private static Path brokerCa;
  private static Path strangerCa;
  private static Path clientKeystore;

  @BeforeAll
  static void startBrokerWithTls() throws Exception {
    Path dir = stack.newDir("kafka-tls");
    Path keystore = dir.resolve("broker.p12");
    brokerCa = dir.resolve("broker-ca.crt");
    TestCertificates.selfSigned(keystore, brokerCa);
    Path strangerStore = dir.resolve("stranger.p12");
    strangerCa = dir.resolve("stranger-ca.crt");
    TestCertificates.selfSigned(strangerStore, strangerCa);
    kafka =
        LocalKafka.start(
            dir.resolve("kafka"), 0, new LocalKafka.TlsListener(0, keystore, PASSWORD, null));
    clientKeystore = dir.resolve("client.p12");
    Path clientCa = dir.resolve("client-ca.crt");
    TestCertificates.selfSigned(clientKeystore, clientCa);
    mutualKafka =
        LocalKafka.start(
            dir.resolve("kafka-mutual"),
            0,
            new LocalKafka.TlsListener(0, keystore, PASSWORD, clientCa));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
    if (mutualKafka != null) {
      mutualKafka.close();
    }
  }

  /** Job options reaching {@code broker}'s TLS listener, trusting {@code truststore}. */
  private static Configuration jobOptions(
      LocalKafka broker, Path truststore, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put("kafka.bootstrap-servers", broker.tlsBootstrapServers());
    values.put("kafka.security-protocol", "SSL");
    values.put("kafka.ssl.truststore", truststore.toString());
    values.put("registry.url", stack.registryUrl());
    return TestJobOptions.with(values);
  }

  /** A plain Kafka client's config with the job's security properties for those options. */
  private static Map<String, Object> clientConfig(
      LocalKafka broker, Path truststore, Map<String, String> extra) {
    Map<String, Object> config =
        new HashMap<>(KafkaClientSecurity.properties(jobOptions(broker, truststore, extra)));
    config.put("bootstrap.servers", broker.tlsBootstrapServers());
    return config;
  }

  @Test
  void theJobsSourceAndSinksMoveRecordsOverTls() throws Exception {
    String raw = stack.uniqueName("raw.tls.t");
    String dlq = stack.uniqueName("dlq.tls");
    kafka.createTopics(List.of(raw, dlq), 1, false);
    byte[] value = "not avro".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer =
        TestKafka.plainProducer(kafka.bootstrapServers())) {
      producer.send(new ProducerRecord<>(raw, "k".getBytes(StandardCharsets.UTF_8), value)).get();
    }
    Configuration options =
        jobOptions(
            kafka,
            brokerCa,
            Map.of(
                "topics.dead-letter", dlq,
                "kafka.group-id", stack.uniqueName("tls-group"),
                "kafka.transactional-id-prefix", stack.uniqueName("tls-tx")));
    Map<String, Object> serde = stack.avroSerdeConfig();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(500);
    env.fromSource(
            PersonSyncJob.rawSource(options, List.of(raw)),
            WatermarkStrategy.noWatermarks(),
            "raw-over-tls")
        .map(r -> TestKafka.deadLetterOf(r, "kafka-tls-it"))
        .returns(new CompiledAvroTypeInfo<>(DeadLetter.class))
        .sinkTo(PersonSyncJob.deadLetterSink(options, serde));
    JobClient job = env.executeAsync("kafka-tls-it");
    try {
      List<ConsumerRecord<byte[], byte[]>> read = readOverTls(dlq, 1, Duration.ofSeconds(90));

      assertThat(read).hasSize(1);
      var decoded = new ConfluentAvroDecoder(serde).decode(dlq, read.get(0).value());
      assertThat(decoded.get("rawTopic").toString()).isEqualTo(raw);
      assertThat(decoded.get("rawOffset")).isEqualTo(0L);
      assertThat(decoded.get("rule").toString()).isEqualTo("test.kafka-tls-it");
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBrokerCertificateFromAnotherCaIsRefused() {
    try (Admin admin = Admin.create(clientConfig(kafka, strangerCa, Map.of()))) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  @Test
  void aBrokerAskingForAClientCertificateTakesTheJobsKeystore() throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.ssl.keystore", clientKeystore.toString());
    values.put("kafka.ssl.keystore-password", PASSWORD);
    try (Admin admin = Admin.create(clientConfig(mutualKafka, brokerCa, values))) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
    }
  }

  @Test
  void aBrokerAskingForAClientCertificateRefusesAJobWithoutOne() {
    try (Admin admin = Admin.create(clientConfig(mutualKafka, brokerCa, Map.of()))) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readOverTls(
      String topic, int expected, Duration timeout) {
    Map<String, Object> config = clientConfig(kafka, brokerCa, Map.of());
    config.put("group.id", stack.uniqueName("tls-reader"));
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    return TestKafka.read(config, topic, expected, timeout);
  }
}
