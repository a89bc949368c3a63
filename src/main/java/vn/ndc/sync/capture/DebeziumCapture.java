package vn.ndc.sync.capture;

import io.debezium.embedded.Connect;
import io.debezium.embedded.async.AsyncEngineConfig;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.deliver.ConfluentAvroEncoder;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.local.LocalKafka;

/**
 * Runs a Debezium connector in the embedded engine and writes its change events to {@code
 * raw.<agency>.<table>} as Avro in the Confluent wire format (magic byte 0, 4-byte content id),
 * with schemas auto-registered in Apicurio Registry.
 *
 * <p>Durability: each batch from the engine is sent in full and acknowledged by Kafka ({@code
 * acks=all}, idempotent producer) before any of its records is marked processed, so source offsets
 * are only committed for records Kafka holds. A crash can therefore redeliver, never lose; the
 * dedup stage drops redeliveries.
 *
 * <p>Skipped on purpose: Debezium's tombstones (the null-value record following a delete), since
 * the delete event itself carries the key, the before image and the source position; and events
 * that are not row changes (heartbeats, transaction markers), which have no {@code source.table}.
 * Both are counted, not silently lost.
 *
 * <p>The topic name uses only the table, not the schema: two tables of the same name in different
 * schemas of one agency database would share a topic.
 */
public final class DebeziumCapture implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DebeziumCapture.class);

  /**
   * Offset store used unless the properties name another; needs {@code
   * offset.storage.file.filename}. Crash-safe, unlike Connect's FileOffsetBackingStore.
   */
  public static final String FILE_OFFSET_STORE = DurableFileOffsetStore.class.getName();

  private final String agency;
  private final int topicPartitions;
  private final ConnectAvro avro = new ConnectAvro();
  private final Producer<byte[], byte[]> producer;

  /** Compatibility rule of the raw topics' subjects. */
  public static final String RAW_SUBJECT_COMPATIBILITY = "NONE";

  private final ConfluentAvroEncoder keyEncoder;
  private final ConfluentAvroEncoder valueEncoder;
  private final Admin admin;
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
  // rawTopic's regular expression showed in profiles at a few % of the engine thread.
  private final Map<String, String> topicsByTable = new HashMap<>();
  private final Map<String, AtomicLong> captured = new ConcurrentHashMap<>();
  private final AtomicLong tombstonesSkipped = new AtomicLong();
  private final AtomicLong nonDataSkipped = new AtomicLong();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private final ExecutorService runner;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private volatile boolean closing;

  private DebeziumCapture(Builder b) {
    this.agency = b.agency;
    this.topicPartitions = b.topicPartitions;
    Map<String, Object> adminConfig = new HashMap<>();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    this.admin = Admin.create(adminConfig);
    this.producer = new KafkaProducer<>(producerConfig(b));
    Map<String, Object> serde = RegistrySerde.confluentWireFormat(b.registryUrl);
    // Raw subjects mirror the agency's table: the registry must not refuse a change the source
    // database has already made (a retyped column), or capture would stop. The data dictionary's
    // subjects (ndc.*) keep the registry's strict global rule.
    this.keyEncoder = new ConfluentAvroEncoder(serde, true, RAW_SUBJECT_COMPATIBILITY);
    this.valueEncoder = new ConfluentAvroEncoder(serde, false, RAW_SUBJECT_COMPATIBILITY);
    this.runner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "debezium-" + agency);
              t.setDaemon(true);
              return t;
            });
  }

  /** A builder; agency, Debezium properties, bootstrap servers and registry URL are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code raw.<agency>.<table>}, with characters Kafka does not allow in names replaced. */
  public static String rawTopic(String agency, String table) {
    return "raw." + topicSafe(agency) + "." + topicSafe(table);
  }

  private static String topicSafe(String s) {
    return s.replaceAll("[^a-zA-Z0-9._-]", "_");
  }

  /**
   * Producer settings for the Confluent wire format through Apicurio: the 4-byte content id in the
   * payload, no headers, schemas registered on first use under {@code <topic>-key/-value}.
   */
  private byte[] encode(
      ConfluentAvroEncoder encoder,
      String topic,
      org.apache.kafka.connect.data.Schema schema,
      Object value) {
    if (value == null) {
      return null;
    }
    Object avroValue = avro.toAvro(schema, value);
    if (!(avroValue instanceof IndexedRecord container)) {
      throw new IllegalStateException(
          "only struct keys and values are captured; " + topic + " has a " + schema.type());
    }
    return encoder.encode(topic, container);
  }

  private static Map<String, Object> producerConfig(Builder b) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "ndc-capture-" + b.agency);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    // Engine batches are up to 2048 records; a short linger and large batches fill requests
    // without adding visible latency.
    c.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // Measured on 2 cores against the local broker: 50k rows took 7-9 s uncompressed and
    // 10-24 s with lz4; the broker is on loopback, so compression only costs CPU.
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    c.putAll(b.producerOverrides);
    return c;
  }

  static Properties engineProperties(Builder b) {
    Properties p = new Properties();
    p.putAll(b.debezium);
    // The engine hands every record of a batch to this pool as a task of its own, only to wrap it
    // (no SMTs here); with a thread per core, the hand-offs cost more CPU than they parallelize.
    p.putIfAbsent(AsyncEngineConfig.RECORD_PROCESSING_THREADS.name(), "1");
    // Connect 4.x's worker config validation requires it even though the file store ignores it.
    p.putIfAbsent("bootstrap.servers", b.bootstrapServers);
    p.putIfAbsent("name", "ndc-capture-" + b.agency);
    p.putIfAbsent("topic.prefix", b.agency);
    p.putIfAbsent("offset.storage", FILE_OFFSET_STORE);
    p.putIfAbsent("offset.flush.interval.ms", "1000");
    if (FILE_OFFSET_STORE.equals(p.getProperty("offset.storage"))
        && p.getProperty("offset.storage.file.filename") == null) {
      throw new ConfigException(
          "Debezium properties for agency "
              + b.agency
              + " lack offset.storage.file.filename; set it to a file in the work dir (for example"
              + " <work>/offsets/"
              + b.agency
              + ".dat)");
    }
    if (p.getProperty("connector.class") == null) {
      throw new ConfigException(
          "Debezium properties for agency "
              + b.agency
              + " lack connector.class; set it in connectors/"
              + b.agency
              + "/connector.properties (e.g. io.debezium.connector.postgresql.PostgresConnector)");
    }
    return p;
  }

  private void startEngine(Properties properties) {
    engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(properties)
            .using(
                new DebeziumEngine.ConnectorCallback() {
                  @Override
                  public void taskStarted() {
                    started.complete(null);
                  }
                })
            .using(this::onCompletion)
            .notifying(this::handleBatch)
            .build();
    runner.execute(
        () -> {
          List<String> problems;
          try {
            problems = ConnectorValidation.problems(properties);
          } catch (RuntimeException e) {
            onCompletion(false, "cannot validate the connector: " + e.getMessage(), e);
            return;
          }
          if (!problems.isEmpty()) {
            String reason =
                "the connector refuses its configuration: " + String.join("; ", problems);
            onCompletion(false, reason, new ConfigException(reason));
            return;
          }
          engine.run();
        });
  }

  private void onCompletion(boolean success, String message, Throwable error) {
    if (success && error == null) {
      LOG.info("Debezium engine for {} stopped: {}", agency, message);
      completion.complete(null);
    } else {
      IllegalStateException failure =
          new IllegalStateException(
              "Debezium engine for agency " + agency + " failed: " + message, error);
      if (closing) {
        LOG.info("Debezium engine for {} stopped while closing: {}", agency, message);
      } else {
        LOG.error("Debezium engine for {} failed: {}", agency, message, error);
      }
      completion.completeExceptionally(failure);
    }
    started.completeExceptionally(new IllegalStateException("engine stopped: " + message, error));
  }

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
    List<String> topics = new ArrayList<>(events.size());
    for (RecordChangeEvent<SourceRecord> event : events) {
      SourceRecord record = event.record();
      if (record.value() == null) {
        tombstonesSkipped.incrementAndGet();
        continue;
      }
      String table = table(record);
      if (table == null) {
        nonDataSkipped.incrementAndGet();
        continue;
      }
      String topic = topicsByTable.computeIfAbsent(table, t -> rawTopic(agency, t));
      ensureTopic(topic);
      byte[] key = encode(keyEncoder, topic, record.keySchema(), record.key());
      byte[] value = encode(valueEncoder, topic, record.valueSchema(), record.value());
      sends.add(producer.send(new ProducerRecord<>(topic, key, value)));
      topics.add(topic);
    }
    producer.flush();
    for (int i = 0; i < sends.size(); i++) {
      try {
        sends.get(i).get();
      } catch (ExecutionException e) {
        // Throwing stops the engine before markProcessed, so these offsets are never committed.
        throw new IllegalStateException(
            "Kafka rejected a change event for " + topics.get(i) + "; stopping capture",
            e.getCause());
      }
      captured.computeIfAbsent(topics.get(i), t -> new AtomicLong()).incrementAndGet();
    }
    // Everything up to the batch's last resumable offset is in Kafka; the changes of a transaction
    // still open are too, but its offset waits for the transaction's end (see ResumePoint).
    for (RecordChangeEvent<SourceRecord> event : events) {
      if (ResumePoint.isBetweenTransactions(event.record().sourceOffset())) {
        committer.markProcessed(event);
      }
    }
    committer.markBatchFinished();
  }

  private static String table(SourceRecord record) {
    if (!(record.value() instanceof Struct)) {
      return null;
    }
    Struct value = (Struct) record.value();
    Field sourceField = value.schema().field("source");
    if (sourceField == null || value.schema().field("op") == null) {
      return null;
    }
    Struct source = value.getStruct("source");
    if (source == null || source.schema().field("table") == null) {
      return null;
    }
    return source.getString("table");
  }

  private void ensureTopic(String topic) {
    if (knownTopics.contains(topic)) {
      return;
    }
    LocalKafka.createTopics(admin, List.of(topic), topicPartitions, false);
    knownTopics.add(topic);
  }

  public String agency() {
    return agency;
  }

  /** Records written per raw topic since start (a snapshot, sorted by topic). */
  public Map<String, Long> capturedPerTopic() {
    Map<String, Long> out = new TreeMap<>();
    captured.forEach((topic, count) -> out.put(topic, count.get()));
    return out;
  }

  /** Records written to {@code topic} since start. */
  public long captured(String topic) {
    AtomicLong count = captured.get(topic);
    return count == null ? 0 : count.get();
  }

  /** Debezium tombstones skipped (the preceding delete event carries the information). */
  public long tombstonesSkipped() {
    return tombstonesSkipped.get();
  }

  /** Events that are not row changes (heartbeats, transaction markers) skipped. */
  public long nonDataSkipped() {
    return nonDataSkipped.get();
  }

  /** Completes when the connector task has started (snapshot or streaming begins). */
  public CompletableFuture<Void> started() {
    return started;
  }

  /** Completes when the engine stops: normally after {@link #close()}, exceptionally on failure. */
  public CompletableFuture<Void> completion() {
    return completion;
  }

  /** The engine's failure, if it stopped because of one. */
  public Optional<Throwable> failure() {
    if (!completion.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      completion.join();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getCause() != null ? e.getCause() : e);
    }
  }

  public boolean isRunning() {
    return !completion.isDone();
  }

  /** Waits until the connector task runs; throws if the engine failed first or time ran out. */
  public void awaitStarted(Duration timeout) {
    try {
      started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Debezium engine for " + agency + " stopped before starting",
          failure().orElse(e.getCause()));
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Debezium engine for " + agency + " did not start within " + timeout.toSeconds() + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      if (engine != null) {
        engine.close();
      }
    } catch (IOException e) {
      LOG.warn("closing Debezium engine for {} failed", agency, e);
    } catch (IllegalStateException e) {
      // An engine that already stopped (it failed) refuses a second shutdown; the rest of this
      // capture still has to be released.
      if (!completion.isDone()) {
        throw e;
      }
    }
    runner.shutdown();
    try {
      if (!runner.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("Debezium engine for {} did not stop within 60 s", agency);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(30));
    keyEncoder.close();
    valueEncoder.close();
    admin.close(Duration.ofSeconds(10));
  }

  /** Settings for a {@link DebeziumCapture}. */
  public static final class Builder {
    private String agency;
    private Properties debezium;
    private String bootstrapServers;
    private String registryUrl;
    private int topicPartitions = 1;
    private final Map<String, Object> producerOverrides = new HashMap<>();

    private Builder() {}

    /** Agency code; becomes the middle part of {@code raw.<agency>.<table>}. */
    public Builder agency(String agency) {
      this.agency = agency;
      return this;
    }

    /** Debezium connector and engine properties, e.g. from {@link ConnectorConfig}. */
    public Builder debeziumProperties(Properties properties) {
      this.debezium = properties;
      return this;
    }

    /** Shortcut for a loaded connector config: sets agency and properties. */
    public Builder connector(ConnectorConfig config) {
      this.agency = config.agency();
      this.debezium = config.debeziumProperties();
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** Apicurio v3 API URL ({@code .../apis/registry/v3}). */
    public Builder registryUrl(String registryApiV3Url) {
      this.registryUrl = registryApiV3Url;
      return this;
    }

    /** Partitions for raw topics this capture creates; existing topics are left alone. */
    public Builder topicPartitions(int partitions) {
      this.topicPartitions = partitions;
      return this;
    }

    /** Overrides one producer setting (for tuning or tests). */
    public Builder producerSetting(String key, Object value) {
      producerOverrides.put(key, value);
      return this;
    }

    /** Validates the settings and starts the engine on a background thread. */
    public DebeziumCapture start() {
      require(agency, "agency");
      require(debezium, "Debezium properties");
      require(bootstrapServers, "Kafka bootstrap servers");
      require(registryUrl, "registry URL");
      if (topicPartitions < 1) {
        throw new ConfigException(
            "raw topic partitions must be at least 1, was " + topicPartitions);
      }
      Properties properties = engineProperties(this);
      DebeziumCapture capture = new DebeziumCapture(this);
      try {
        capture.startEngine(properties);
      } catch (RuntimeException e) {
        capture.close();
        throw e;
      }
      return capture;
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new ConfigException(what + " not set for Debezium capture; set it on the builder");
      }
    }
  }
}
