package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;
import vn.ndc.sync.capture.DebeziumCapture;
import vn.ndc.sync.cli.NdcSync;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.job.Mappings;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.testing.HttpJson;
import vn.ndc.sync.testing.TestConnectors;

/**
 * Faults of real components under the shared pipeline (every agency of connectors/) while demo
 * changes stream into the sources: poison pills on a raw topic, the Kafka broker restarted, the NDC
 * store unreachable for 30 s, the source databases restarted, the job upgraded through a savepoint.
 * After each, `ndc-sync verify` over every agency must find nothing missing, extra or different.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {

  private static final Duration CONVERGE = Duration.ofMinutes(4);
  private static LocalPipeline pipeline;

  @BeforeAll
  static void stack() {
    pipeline = SharedTestStack.pipeline();
    pipeline.awaitReady(Duration.ofMinutes(2));
  }

  @Test
  @Order(1)
  void poisonPillsGoToTheDeadLetterTopicWithTheirPositionAndTheJobKeepsRunning() throws Exception {
    LocalPipeline.Agency civil = agency("civil-registry");
    String topic = PersonSyncJob.rawTopic(civil.mapping());
    long restartsBefore = jobRestarts();
    byte[] garbage = "\u0001not avro at all".getBytes(StandardCharsets.UTF_8);
    // Magic byte 0 and a schema id the registry never issued.
    byte[] unknownSchema =
        ByteBuffer.allocate(9).put((byte) 0).putInt(2_000_000_001).putInt(42).array();
    RecordMetadata garbageAt;
    RecordMetadata unknownAt;
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", pipeline.kafka().bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      garbageAt = producer.send(new ProducerRecord<>(topic, bytes("k1"), garbage)).get();
      unknownAt = producer.send(new ProducerRecord<>(topic, bytes("k2"), unknownSchema)).get();
    }

    try (StreamingLoad load = StreamingLoad.start(pipeline)) {
      awaitChanges(load, 20);
    }
    List<GenericRecord> letters = awaitDeadLetters(topic, List.of(garbageAt, unknownAt));
    for (GenericRecord letter : letters) {
      assertThat(letter.get("rule").toString()).isEqualTo("decode.avro");
      assertThat(letter.get("agency").toString()).isEqualTo("civil-registry");
    }
    assertThat(bytesOf(letters.get(0))).isEqualTo(garbage);
    assertThat(bytesOf(letters.get(1))).isEqualTo(unknownSchema);
    assertThat(letters.get(1).get("message").toString()).contains("2000000001");

    // The changes committed after the pills are in the store: the job went on past them.
    awaitVerified("poison pills");
    assertThat(pipeline.job().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    assertThat(jobRestarts()).as("the pills did not fail the job").isEqualTo(restartsBefore);
  }

  @Test
  @Order(2)
  void kafkaBrokerRestartedWhileChangesStreamIn() throws Exception {
    faultWhileChangesStreamIn(load -> pipeline.kafka().restart());
    awaitVerified("Kafka broker restarted");
  }

  @Test
  @Order(3)
  void ndcStoreUnavailableForThirtySeconds() throws Exception {
    faultWhileChangesStreamIn(
        load -> {
          try (Connection admin = pipeline.postgres().connect("postgres");
              Statement st = admin.createStatement()) {
            st.execute("ALTER DATABASE " + LocalPipeline.NDC_DATABASE + " ALLOW_CONNECTIONS false");
            st.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + LocalPipeline.NDC_DATABASE
                    + "'");
            try {
              long before = load.changes();
              Thread.sleep(30_000);
              assertThat(load.changes()).as("sources kept changing").isGreaterThan(before);
            } finally {
              st.execute(
                  "ALTER DATABASE " + LocalPipeline.NDC_DATABASE + " ALLOW_CONNECTIONS true");
            }
          }
        });
    awaitVerified("NDC store unavailable for 30 s");
  }

  @Test
  @Order(4)
  void sourceDatabasesRestartedWhileChangesStreamIn() throws Exception {
    StreamingLoad load =
        faultWhileChangesStreamIn(
            l -> {
              // The PostgreSQL server holds the civil-registry and land-registry sources (and, in
              // `local`, the store and the registry's tables); MariaDB holds health-insurance.
              pipeline.postgres().restart();
              pipeline.mariaDb().restart();
            });
    assertThat(load.failures()).as("the load saw the sources go away").isPositive();
    awaitVerified("source databases restarted");
  }

  @Test
  @Order(5)
  void jobUpgradedThroughASavepointWhileChangesStreamIn() throws Exception {
    // As the Flink Kubernetes Operator upgrades it (upgradeMode: savepoint): stopped with a
    // savepoint, its transactions committed, then a new job restored from the savepoint.
    faultWhileChangesStreamIn(
        load -> {
          pipeline.upgradeJobThroughSavepoint(
              Duration.ofMinutes(3), pipeline.jobOptions().get(PersonSyncOptions.PARALLELISM));
          pipeline.awaitReady(Duration.ofMinutes(2));
        });
    awaitVerified("job upgraded through a savepoint");
  }

  /** A fault injected while the load runs; it may read the load's counts. */
  @FunctionalInterface
  private interface Fault {
    void inject(StreamingLoad load) throws Exception;
  }

  /**
   * Streams changes into every agency, injects {@code fault} once 50 have been made, and stops the
   * load once 50 more have been made after it; returns the stopped load for its counts.
   */
  private static StreamingLoad faultWhileChangesStreamIn(Fault fault) throws Exception {
    try (StreamingLoad load = StreamingLoad.start(pipeline)) {
      awaitChanges(load, 50);
      fault.inject(load);
      long after = load.changes();
      awaitChanges(load, after + 50);
      return load;
    }
  }

  private static LocalPipeline.Agency agency(String name) {
    return pipeline.agencies().stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void awaitChanges(StreamingLoad load, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (load.changes() < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the load made only " + load.changes() + " changes");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Runs `ndc-sync verify` over every agency until it exits 0; fails with its last report if the
   * pipeline does not converge, or if a capture stopped.
   */
  private static void awaitVerified(String fault) throws Exception {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    String[] args = verifyArgs();
    int code;
    String output;
    do {
      for (DebeziumCapture capture : pipeline.captures()) {
        assertThat(capture.failure()).as("capture of " + capture.agency()).isEmpty();
      }
      StringWriter out = new StringWriter();
      CommandLine cli = NdcSync.commandLine();
      cli.setOut(new PrintWriter(out));
      code = cli.execute(args);
      output = out.toString();
      if (code != 0) {
        Thread.sleep(2000);
      }
    } while (code != 0 && System.nanoTime() < deadline);
    System.out.println("PipelineFaultsIT: verify after " + fault + ":\n" + output);
    assertThat(code).as("verify after " + fault + ":\n" + output).isZero();
    for (Path dir : Mappings.personSourceFolders(TestConnectors.PROJECT_CONNECTORS)) {
      assertThat(output).contains("source " + dir.getFileName() + " (");
    }
  }

  private static String[] verifyArgs() {
    List<String> args = new ArrayList<>();
    args.add("verify");
    args.add("--connectors");
    args.add(TestConnectors.PROJECT_CONNECTORS.toString());
    for (LocalPipeline.Agency agency : pipeline.agencies()) {
      args.add("--source");
      args.add(agency.name() + "=" + pipeline.sourceJdbcUrl(agency));
    }
    args.add("--store");
    args.add(pipeline.endpoints().get("ndc-jdbc"));
    return args.toArray(String[]::new);
  }

  /**
   * The dead letters of the given raw positions, in their order, read as a read_committed client.
   */
  private static List<GenericRecord> awaitDeadLetters(String rawTopic, List<RecordMetadata> at)
      throws Exception {
    String dlq = pipeline.jobOptions().get(PersonSyncOptions.DEAD_LETTER_TOPIC);
    Map<String, GenericRecord> found = new HashMap<>();
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", pipeline.kafka().bootstrapServers());
    config.put("isolation.level", "read_committed");
    ConfluentAvroDecoder decoder =
        new ConfluentAvroDecoder(RegistrySerde.confluentWireFormat(pipeline.registry().apiV3Url()));
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(dlq).stream()
              .map(p -> new TopicPartition(dlq, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (found.size() < at.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          GenericRecord letter = decoder.decode(dlq, r.value());
          found.put(
              letter.get("rawTopic")
                  + "/"
                  + letter.get("rawPartition")
                  + "/"
                  + letter.get("rawOffset"),
              letter);
          found.keySet().retainAll(positions(rawTopic, at));
        }
      }
    }
    List<GenericRecord> out = new ArrayList<>();
    for (String position : positions(rawTopic, at)) {
      assertThat(found).as("dead letter of %s", position).containsKey(position);
      out.add(found.get(position));
    }
    return out;
  }

  private static List<String> positions(String topic, List<RecordMetadata> at) {
    return at.stream().map(m -> topic + "/" + m.partition() + "/" + m.offset()).toList();
  }

  private static byte[] bytesOf(GenericRecord letter) {
    ByteBuffer b = ((ByteBuffer) letter.get("rawBytes")).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Flink's numRestarts metric of the pipeline's job.
   *
   * @throws AssertionError when the answer has no number for it, with the answer
   */
  private static long jobRestarts() throws Exception {
    JsonNode metrics =
        HttpJson.get(
            pipeline.endpoints().get("flink-ui")
                + "/jobs/"
                + pipeline.job().getJobID()
                + "/metrics?get=numRestarts");
    // A missing or renamed metric reads as 0 through asLong(), which "the job did not restart"
    // would accept.
    JsonNode value = metrics.path(0).path("value");
    if (!value.isValueNode() || !value.asText().matches("\\d+")) {
      throw new AssertionError("no numRestarts value in Flink's answer: " + metrics);
    }
    return Long.parseLong(value.asText());
  }
}
