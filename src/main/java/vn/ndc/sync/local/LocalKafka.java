package vn.ndc.sync.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * An in-process Apache Kafka 4.2 KRaft node acting as both broker and controller.
 *
 * <p>The data directory is formatted on first use and reused afterwards, so topics and committed
 * offsets survive a restart. Internal topics use replication factor 1 and few partitions because
 * there is one node and a laptop to start it on. Topics are not auto-created: callers create them
 * with {@link #createTopic} so partition counts and compaction are explicit.
 */
public final class LocalKafka implements AutoCloseable {

  /**
   * The longest transaction the broker allows, as the Kubernetes brokers do: the job's exactly-once
   * sinks ask for {@link vn.ndc.sync.deliver.ExactlyOnceKafka#TRANSACTION_TIMEOUT}.
   */
  public static final java.time.Duration MAX_TRANSACTION_TIMEOUT = java.time.Duration.ofHours(1);

  private static final String CLUSTER_ID_FILE = "cluster.id";

  /**
   * A second client listener that speaks TLS, for tests of clients' TLS settings.
   *
   * @param port its port, or 0 to pick a free one
   * @param keystore PKCS12 file with the broker's private key and certificate
   * @param password the keystore's and the key's password
   * @param clientCa PEM file of the CA that clients' certificates must chain to: the listener then
   *     requires a client certificate (mutual TLS); null for none
   * @param authorize whether the broker enforces ACLs (Kafka's StandardAuthorizer): a TLS client is
   *     then principal {@code User:<its certificate's subject>} and may do only what ACLs allow,
   *     while the plain listeners, the broker's own and the admin client's, stay super users
   */
  public record TlsListener(
      int port, Path keystore, String password, Path clientCa, boolean authorize) {

    /** A listener that does not enforce ACLs. */
    public TlsListener(int port, Path keystore, String password, Path clientCa) {
      this(port, keystore, password, clientCa, false);
    }
  }

  private KafkaRaftServer server;
  private final int port;
  private final Path dataDir;
  private final TlsListener tls;
  private boolean closed;

  private LocalKafka(KafkaRaftServer server, int port, Path dataDir, TlsListener tls) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.tls = tls;
  }

  /**
   * Formats (first time only) and starts a combined broker+controller on {@code dataDir}.
   *
   * @param port the client port, or 0 to pick a free one; the controller port is always picked
   */
  public static LocalKafka start(Path dataDir, int port) {
    return start(dataDir, port, null);
  }

  /**
   * As {@link #start(Path, int)}, with a TLS client listener beside the plain one when {@code tls}
   * is not null. The plain listener stays the brokers' own and the admin client's.
   */
  public static LocalKafka start(Path dataDir, int port, TlsListener tls) {
    int brokerPort = Ports.resolve(port, "--kafka-port");
    TlsListener resolvedTls =
        tls == null
            ? null
            : new TlsListener(
                Ports.resolve(tls.port(), "the Kafka TLS listener"),
                tls.keystore(),
                tls.password(),
                tls.clientCa(),
                tls.authorize());
    int controllerPort = Ports.freePort();
    Path dir = dataDir.toAbsolutePath();
    Path logDir = dir.resolve("logs");
    try {
      Files.createDirectories(logDir);
      Map<String, String> props = serverProperties(brokerPort, controllerPort, logDir, resolvedTls);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(dir, props);
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      LocalKafka kafka = new LocalKafka(server, brokerPort, dir, resolvedTls);
      try {
        server.startup();
        kafka.awaitReady();
      } catch (RuntimeException e) {
        kafka.close();
        throw e;
      }
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data directory " + dir, e);
    }
  }

  private static Map<String, String> serverProperties(
      int brokerPort, int controllerPort, Path logDir, TlsListener tls) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    // A static voter set lets the controller port change between restarts.
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    if (tls != null) {
      String address = "SSL://127.0.0.1:" + tls.port();
      p.put("listeners", p.get("listeners") + "," + address);
      p.put("advertised.listeners", p.get("advertised.listeners") + "," + address);
      p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + ",SSL:SSL");
      p.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
      p.put("listener.name.ssl.ssl.keystore.location", tls.keystore().toAbsolutePath().toString());
      p.put("listener.name.ssl.ssl.keystore.password", tls.password());
      p.put("listener.name.ssl.ssl.key.password", tls.password());
      if (tls.clientCa() != null) {
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("listener.name.ssl.ssl.truststore.type", "PEM");
        p.put(
            "listener.name.ssl.ssl.truststore.location",
            tls.clientCa().toAbsolutePath().toString());
      }
      if (tls.authorize()) {
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:ANONYMOUS");
      }
    }
    p.put("log.dirs", logDir.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // With one node, the defaults (RF 3, 50 partitions) make groups and transactions hang or
    // start slowly.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("transaction.max.timeout.ms", String.valueOf(MAX_TRANSACTION_TIMEOUT.toMillis()));
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    return p;
  }

  private static void format(Path dir, Map<String, String> props) throws IOException {
    Path config = dir.resolve("server.properties");
    Properties file = new Properties();
    file.putAll(props);
    try (OutputStream out = Files.newOutputStream(config)) {
      file.store(out, "written by LocalKafka for the storage formatter");
    }
    String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    Files.writeString(dir.resolve(CLUSTER_ID_FILE), clusterId);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int rc;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "--config",
                config.toString(),
                "--cluster-id",
                clusterId,
                "--ignore-formatted"
              },
              print);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting Kafka storage in "
              + dir
              + " failed: "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not become ready within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The TLS listener's address; only for a node started with a {@link TlsListener}. */
  public String tlsBootstrapServers() {
    if (tls == null) {
      throw new IllegalStateException("this Kafka node has no TLS listener");
    }
    return "127.0.0.1:" + tls.port();
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A new admin client for this broker; the caller closes it. */
  public Admin admin() {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return Admin.create(config);
  }

  /** Creates {@code topic} unless it exists; existing topics are left untouched. */
  public void createTopic(String topic, int partitions, boolean compacted) {
    createTopics(List.of(topic), partitions, compacted);
  }

  /** Creates each missing topic with {@code partitions} partitions, compacted if asked. */
  public void createTopics(Collection<String> topics, int partitions, boolean compacted) {
    try (Admin admin = admin()) {
      createTopics(admin, topics, partitions, compacted);
    }
  }

  /** Creates each missing topic through {@code admin}. */
  public static void createTopics(
      Admin admin, Collection<String> topics, int partitions, boolean compacted) {
    List<NewTopic> requests = new ArrayList<>();
    for (String topic : topics) {
      NewTopic request = new NewTopic(topic, partitions, (short) 1);
      if (compacted) {
        request.configs(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      requests.add(request);
    }
    admin
        .createTopics(requests)
        .values()
        .forEach(
            (topic, future) -> {
              try {
                future.get(30, TimeUnit.SECONDS);
              } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                  throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                }
              } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + topic + " timed out", e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic, e);
              }
            });
  }

  /** Names of the non-internal topics. */
  public Set<String> topics() {
    try (Admin admin = admin()) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    }
  }

  /**
   * Shuts the node down and starts it again on the same client port and data, as an operator's
   * rolling restart would; clients see the broker disappear for a few seconds. Used by fault tests.
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("Kafka is closed");
    }
    server.shutdown();
    server.awaitShutdown();
    Map<String, String> props =
        serverProperties(port, Ports.freePort(), dataDir.resolve("logs"), tls);
    server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    server.startup();
    awaitReady();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }
}
