package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Restarting each local component on the same data dir keeps its state. */
class LocalInfraIT {

  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  private final SharedTestStack stack = SharedTestStack.get();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void kafkaRestartKeepsTopicsConfigsAndRecords() throws Exception {
    Path dir = stack.newDir("kafka-restart");
    String topic = "ndc.citizen";
    try (LocalKafka kafka = LocalKafka.start(dir, 0)) {
      kafka.createTopic(topic, 2, true);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, "001090000001", "v1")).get();
      }
    }
    long t0 = System.nanoTime();
    try (LocalKafka kafka = LocalKafka.start(dir, 0)) {
      System.out.printf("LocalKafka restart: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(kafka.topics()).contains(topic);
      try (Admin admin = kafka.admin()) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
            .hasSize(2);
      }
      // Creating an existing topic is a no-op, not an error.
      kafka.createTopic(topic, 2, true);
      assertThat(readAll(kafka.bootstrapServers(), topic, 1))
          .extracting(ConsumerRecord::value)
          .containsExactly("v1");
    }
  }

  @Test
  void registryRestartKeepsSchemaIds() throws Exception {
    String db = stack.uniqueName("registry_restart");
    LocalPostgres pg = stack.postgres();
    pg.createDatabaseIfMissing(db);
    Path work = stack.newDir("registry-restart");
    String schema =
        "{\"type\":\"record\",\"name\":\"Citizen\",\"namespace\":\"vn.ndc\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    int id;
    try (LocalRegistry registry = startRegistry(work, pg, db)) {
      id = register(registry, "citizen-value", schema);
    }
    long t0 = System.nanoTime();
    try (LocalRegistry registry = startRegistry(work, pg, db)) {
      System.out.printf("LocalRegistry restart: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      HttpResponse<String> byId = get(registry.ccompatUrl() + "/schemas/ids/" + id);
      assertThat(byId.statusCode()).isEqualTo(200);
      assertThat(byId.body()).contains("Citizen");
      assertThat(register(registry, "citizen-value", schema)).isEqualTo(id);
      // The global rule is set on every start: an incompatible change is refused.
      String incompatible = schema.replace("\"string\"", "\"int\"");
      assertThat(post(registry, "citizen-value", incompatible).statusCode()).isEqualTo(409);
    }
  }

  @Test
  void postgresRestartKeepsDatabases() throws Exception {
    Path dir = stack.newDir("pg-restart").resolve("data");
    try (LocalPostgres pg = LocalPostgres.start(dir, 0)) {
      pg.createDatabaseIfMissing("kept");
      pg.createDatabaseIfMissing("kept");
      try (Connection c = pg.connect("kept")) {
        c.createStatement().execute("CREATE TABLE t (v text); INSERT INTO t VALUES ('x')");
      }
    }
    long t0 = System.nanoTime();
    try (LocalPostgres pg = LocalPostgres.start(dir, 0)) {
      System.out.printf("LocalPostgres restart: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      try (Connection c = pg.connect("kept");
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT v, current_setting('fsync'),"
                          + " current_setting('wal_level') FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("x");
        assertThat(rs.getString(2)).isEqualTo("on");
        assertThat(rs.getString(3)).isEqualTo("logical");
      }
    }
  }

  private static LocalRegistry startRegistry(Path work, LocalPostgres pg, String db) {
    return LocalRegistry.start(
        work, 0, pg.jdbcUrl(db), pg.user(), pg.password(), Duration.ofSeconds(120));
  }

  private int register(LocalRegistry registry, String subject, String schema) throws Exception {
    HttpResponse<String> response = post(registry, subject, schema);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Matcher m = ID.matcher(response.body());
    assertThat(m.find()).as(response.body()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private HttpResponse<String> post(LocalRegistry registry, String subject, String schema)
      throws Exception {
    String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
    return http.send(
        HttpRequest.newBuilder(
                URI.create(registry.ccompatUrl() + "/subjects/" + subject + "/versions"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<ConsumerRecord<String, String>> readAll(
      String bootstrap, String topic, int expected) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                stack.uniqueName("infra"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
