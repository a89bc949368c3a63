package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.PersonReview;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.ReviewReason;
import vn.ndc.sync.avro.ReviewStatus;
import vn.ndc.sync.config.JobConfig;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.deliver.ConfluentAvroEncoder;
import vn.ndc.sync.deliver.DeadLetterReplay;
import vn.ndc.sync.deliver.NdcStore;
import vn.ndc.sync.enrich.TestRecords;
import vn.ndc.sync.local.LocalKafka;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.local.TestCertificates;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/**
 * The Kubernetes deployment's Kafka ACLs, applied as written in {@code k8s/kafka/users.yaml} to a
 * broker that enforces them over mutual TLS: the job, with its cluster config and its own
 * certificate, reads the raw topics, commits its group's offsets and writes its three topics in
 * transactions; it cannot read what it only writes; an analyst reads the pseudonymized persons and
 * neither {@code ndc.person} (sensitive fields) nor the raw topics; the replay user sends a dead
 * letter's raw record again and reads nothing else.
 */
class KafkaAclIT {

  private static final Path K8S =
      Path.of(System.getProperty("ndc.project.dir", ".")).resolve("k8s");
  private static final String RAW = "raw.civil-registry.nhan_khau";
  // The replay appends to the raw topic its dead letter names; on a topic of its own that append
  // cannot move the job's committed offset, whichever test runs first.
  private static final String REPLAY_RAW = "raw.civil-registry.nhan_khau-replay";

  private static final SharedTestStack stack = SharedTestStack.get();
  private static LocalKafka kafka;
  private static Path brokerCa;
  private static Path jobKeystore;
  private static Path analystKeystore;
  private static Path replayKeystore;

  @BeforeAll
  static void startBrokerEnforcingTheClustersAcls() throws Exception {
    Path dir = stack.newDir("kafka-acl");
    Path brokerKeystore = dir.resolve("broker.p12");
    brokerCa = dir.resolve("broker-ca.crt");
    TestCertificates.selfSigned(brokerKeystore, brokerCa);
    jobKeystore = dir.resolve("person-sync.p12");
    Path jobCert = dir.resolve("person-sync.crt");
    TestCertificates.selfSigned(jobKeystore, jobCert, "person-sync");
    analystKeystore = dir.resolve("ndc-analyst.p12");
    Path analystCert = dir.resolve("ndc-analyst.crt");
    TestCertificates.selfSigned(analystKeystore, analystCert, "ndc-analyst");
    replayKeystore = dir.resolve("ndc-replay.p12");
    Path replayCert = dir.resolve("ndc-replay.crt");
    TestCertificates.selfSigned(replayKeystore, replayCert, "ndc-replay");
    // Each client certificate is self-signed: the broker trusts them all.
    Path clientCas = dir.resolve("client-cas.crt");
    Files.writeString(
        clientCas,
        Files.readString(jobCert) + Files.readString(analystCert) + Files.readString(replayCert));
    kafka =
        LocalKafka.start(
            dir.resolve("kafka"),
            0,
            new LocalKafka.TlsListener(
                0, brokerKeystore, TestCertificates.PASSWORD, clientCas, true));
    stack.postgres().createDatabaseIfMissing("ndc");
    NdcStore.ensureSchema(
        stack.postgres().jdbcUrl("ndc"), stack.postgres().user(), stack.postgres().password());
    Configuration job = jobOptions();
    kafka.createTopics(
        List.of(
            RAW,
            REPLAY_RAW,
            job.get(PersonSyncOptions.PERSON_TOPIC),
            job.get(PersonSyncOptions.PERSON_ANALYST_TOPIC),
            job.get(PersonSyncOptions.REVIEW_TOPIC),
            job.get(PersonSyncOptions.DEAD_LETTER_TOPIC)),
        1,
        false);
    List<AclBinding> acls = new ArrayList<>();
    for (Map<String, Object> user : kafkaUsers()) {
      acls.addAll(aclsOf(user));
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** The job's cluster config, pointed at this broker with the job's certificate. */
  private static Configuration jobOptions() throws Exception {
    return JobConfig.load(
        K8S.resolve("jobs/person-sync.yaml"),
        Map.of(
            "kafka.bootstrap-servers", kafka.tlsBootstrapServers(),
            "kafka.ssl.truststore", brokerCa.toString(),
            "kafka.ssl.keystore", jobKeystore.toString(),
            "kafka.ssl.keystore-password", TestCertificates.PASSWORD,
            "registry.url", stack.registryUrl(),
            // The analysts' topic takes its pseudonym secret from the store.
            "store.jdbc-url", stack.postgres().jdbcUrl("ndc"),
            "store.user", stack.postgres().user()),
        PersonSyncOptions.class);
  }

  @Test
  void theJobReadsCommitsAndWritesWithinItsAcls() throws Exception {
    Configuration options = jobOptions();
    RecordMetadata at;
    try (KafkaProducer<byte[], byte[]> producer =
        TestKafka.plainProducer(kafka.bootstrapServers())) {
      at = producer.send(new ProducerRecord<>(RAW, bytes("k"), bytes("not avro"))).get();
    }
    Map<String, Object> serde = stack.avroSerdeConfig();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(500);
    DataStream<RawRecord> raw =
        env.fromSource(
            PersonSyncJob.rawSource(options, List.of(RAW)),
            WatermarkStrategy.noWatermarks(),
            "raw-with-acls");
    raw.map(r -> TestKafka.deadLetterOf(r, "kafka-acl-it"))
        .returns(new CompiledAvroTypeInfo<>(DeadLetter.class))
        .sinkTo(PersonSyncJob.deadLetterSink(options, serde));
    raw.map(KafkaAclIT::personOf)
        .returns(new CompiledAvroTypeInfo<>(Person.class))
        .sinkTo(PersonSyncJob.personTopicSink(options, serde));
    raw.map(KafkaAclIT::personOf)
        .returns(new CompiledAvroTypeInfo<>(Person.class))
        .sinkTo(PersonSyncJob.analystTopicSink(options, serde));
    raw.map(r -> reviewOf(personOf(r)))
        .returns(new CompiledAvroTypeInfo<>(PersonReview.class))
        .sinkTo(PersonSyncJob.reviewSink(options, serde));
    JobClient job = env.executeAsync("kafka-acl-it");
    try {
      for (var topic :
          List.of(
              PersonSyncOptions.PERSON_TOPIC,
              PersonSyncOptions.PERSON_ANALYST_TOPIC,
              PersonSyncOptions.REVIEW_TOPIC,
              PersonSyncOptions.DEAD_LETTER_TOPIC)) {
        assertThat(jobRecordIn(options.get(topic))).as(topic.key()).isTrue();
      }
      // The replay test writes its own dead letter to the same topic: only this job's letter for
      // this record shows that the job wrote there.
      assertThat(
              deadLetterIn(
                  options.get(PersonSyncOptions.DEAD_LETTER_TOPIC), "kafka-acl-it", RAW, at))
          .as("the job's dead letter for %s/%d", RAW, at.offset())
          .isTrue();
      assertThat(at.offset()).as("the job's raw topic held nothing before").isZero();
      assertThat(committedOffset(options.get(PersonSyncOptions.CONSUMER_GROUP)))
          .as("the job's group committed its offset")
          .isEqualTo(1L);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theJobCannotReadATopicItOnlyWrites() throws Exception {
    Map<String, Object> config = tlsClient(jobKeystore);
    config.put("group.id", jobOptions().get(PersonSyncOptions.CONSUMER_GROUP));

    assertThatThrownBy(() -> pollOnce(config, jobOptions().get(PersonSyncOptions.PERSON_TOPIC)))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void anAnalystReadsThePseudonymizedPersonsButNotTheSensitiveOrRawTopics() throws Exception {
    String persons = jobOptions().get(PersonSyncOptions.PERSON_ANALYST_TOPIC);
    try (KafkaProducer<byte[], byte[]> producer =
        TestKafka.plainProducer(kafka.bootstrapServers())) {
      producer.send(new ProducerRecord<>(persons, bytes("079198042616"), bytes("p"))).get();
    }
    Map<String, Object> config = tlsClient(analystKeystore);
    config.put("group.id", "ndc-analyst-acl-it");

    assertThat(pollOnce(config, persons)).isNotEmpty();
    assertThatThrownBy(() -> pollOnce(config, RAW)).isInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> pollOnce(config, jobOptions().get(PersonSyncOptions.PERSON_TOPIC)))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void deadLettersAreReplayedWithinTheReplayUsersAcls() throws Exception {
    String deadLetters = jobOptions().get(PersonSyncOptions.DEAD_LETTER_TOPIC);
    Map<String, Object> serde = stack.avroSerdeConfig();
    long rawEnd;
    try (KafkaProducer<byte[], byte[]> producer =
            TestKafka.plainProducer(kafka.bootstrapServers());
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(serde, false)) {
      RecordMetadata at =
          producer
              .send(new ProducerRecord<>(REPLAY_RAW, bytes("k-replay"), bytes("a change")))
              .get();
      RawRecord raw =
          RawRecord.newBuilder()
              .setTopic(REPLAY_RAW)
              .setPartition(at.partition())
              .setOffset(at.offset())
              .setTimestamp(0)
              .setValue(java.nio.ByteBuffer.wrap(bytes("a change")))
              .build();
      producer
          .send(
              new ProducerRecord<>(
                  deadLetters,
                  bytes("k-replay"),
                  encoder.encode(deadLetters, TestKafka.deadLetterOf(raw, "replay-acl-it"))))
          .get();
      rawEnd = at.offset() + 1;
    }
    StringWriter out = new StringWriter();

    DeadLetterReplay.Result result =
        new DeadLetterReplay(tlsClient(replayKeystore), serde, deadLetters, new PrintWriter(out))
            .run(new DeadLetterReplay.Filter(Set.of(), Set.of("test.replay-acl-it"), null), false);

    assertThat(result.sent()).as(out.toString()).isEqualTo(1);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            tlsClient(replayKeystore), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition raw = new TopicPartition(REPLAY_RAW, 0);
      assertThat(consumer.endOffsets(List.of(raw)).get(raw))
          .as("the change appended again")
          .isEqualTo(rawEnd + 1);
      // Nothing else: not the synchronized topics.
      consumer.assign(
          List.of(new TopicPartition(jobOptions().get(PersonSyncOptions.PERSON_TOPIC), 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  // --- the manifests' ACLs, as Strimzi's User Operator would create them -----------------------

  private static List<Map<String, Object>> kafkaUsers() throws Exception {
    List<Map<String, Object>> users = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it =
        new ObjectMapper(new YAMLFactory())
            .readerForMapOf(Object.class)
            .readValues(K8S.resolve("kafka/users.yaml").toFile())) {
      while (it.hasNext()) {
        Map<String, Object> doc = it.next();
        if (doc != null && "KafkaUser".equals(doc.get("kind"))) {
          users.add(doc);
        }
      }
    }
    return users;
  }

  @SuppressWarnings("unchecked")
  private static List<AclBinding> aclsOf(Map<String, Object> user) {
    String name = (String) ((Map<String, Object>) user.get("metadata")).get("name");
    Map<String, Object> spec = (Map<String, Object>) user.get("spec");
    Map<String, Object> authorization = (Map<String, Object>) spec.get("authorization");
    List<AclBinding> bindings = new ArrayList<>();
    if (authorization == null) {
      return bindings;
    }
    for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
      Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
      ResourceType type =
          switch ((String) resource.get("type")) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException("resource type " + resource.get("type"));
          };
      ResourcePattern pattern =
          new ResourcePattern(
              type,
              type == ResourceType.CLUSTER ? "kafka-cluster" : (String) resource.get("name"),
              "prefix".equals(resource.get("patternType"))
                  ? PatternType.PREFIXED
                  : PatternType.LITERAL);
      for (String operation : (List<String>) acl.get("operations")) {
        AclOperation op =
            AclOperation.valueOf(
                operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        bindings.add(
            new AclBinding(
                pattern,
                new AccessControlEntry(
                    "User:CN=" + name,
                    (String) acl.getOrDefault("host", "*"),
                    op,
                    AclPermissionType.ALLOW)));
      }
    }
    return bindings;
  }

  // --- clients ----------------------------------------------------------------------------

  private static Map<String, Object> tlsClient(Path keystore) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.tlsBootstrapServers());
    config.put("security.protocol", "SSL");
    config.put("ssl.truststore.type", "PEM");
    config.put("ssl.truststore.location", brokerCa.toString());
    config.put("ssl.keystore.type", "PKCS12");
    config.put("ssl.keystore.location", keystore.toString());
    config.put("ssl.keystore.password", TestCertificates.PASSWORD);
    config.put("auto.offset.reset", "earliest");
    return config;
  }

  private static List<ConsumerRecord<byte[], byte[]>> pollOnce(
      Map<String, Object> config, String topic) {
    return TestKafka.read(config, topic, 1, Duration.ofSeconds(30));
  }

  /** Settings of a consumer that reads a topic's committed records from the start. */
  private static Map<String, Object> committedReader() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("group.id", stack.uniqueName("acl-reader"));
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    return config;
  }

  /**
   * Whether {@code topic} holds a committed record in the Confluent wire format (the job's; the
   * analyst's test writes a plain probe to the analysts' topic) within 90 s.
   */
  private static boolean jobRecordIn(String topic) {
    Map<String, Object> config = committedReader();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null && r.value().length > 5 && r.value()[0] == 0) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /**
   * Whether {@code topic} holds, within 90 s, a committed dead letter of {@code job} for the raw
   * record at {@code raw} of {@code rawTopic}.
   */
  private static boolean deadLetterIn(
      String topic, String job, String rawTopic, RecordMetadata raw) {
    Map<String, Object> config = committedReader();
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(stack.avroSerdeConfig())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          GenericRecord letter = decoder.decode(topic, r.value());
          if (job.equals(String.valueOf(letter.get("job")))
              && rawTopic.equals(String.valueOf(letter.get("rawTopic")))
              && (int) letter.get("rawPartition") == raw.partition()
              && (long) letter.get("rawOffset") == raw.offset()) {
            return true;
          }
        }
      }
      return false;
    }
  }

  private static Long committedOffset(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        OffsetAndMetadata offset = offsets.get(new TopicPartition(RAW, 0));
        if ((offset != null && offset.offset() >= 1) || System.nanoTime() > deadline) {
          return offset == null ? null : offset.offset();
        }
        Thread.sleep(200);
      }
    }
  }

  // --- records ----------------------------------------------------------------------------

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Person personOf(RawRecord r) {
    return TestRecords.person("civil-registry")
        .personalId("079198042616")
        .name("Lê Thị Hoa")
        .sourceKey(r.getTopic() + "/" + r.getOffset())
        .build();
  }

  private static PersonReview reviewOf(Person person) {
    return PersonReview.newBuilder()
        .setReviewKey("civil-registry|" + person.getPersonKey())
        .setStatus(ReviewStatus.WAITING)
        .setReason(ReviewReason.NO_CANDIDATE)
        .setWaitingSince(Instant.now())
        .setPerson(person)
        .build();
  }
}
