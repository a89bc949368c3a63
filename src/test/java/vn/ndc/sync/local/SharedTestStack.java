package vn.ndc.sync.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import vn.ndc.sync.deliver.RegistrySerde;

/**
 * One embedded PostgreSQL + Kafka + Apicurio Registry per test JVM, started on first use and
 * stopped by a shutdown hook; integration tests share it so the suite pays the startup once.
 *
 * <p>Tests must isolate themselves by name: use {@link #uniqueName} for databases, replication
 * slots, publications, agencies and topics, and {@link #newDir} for files such as offset stores.
 */
public final class SharedTestStack {

  private static volatile SharedTestStack instance;

  private final Path workDir;
  private final LocalPostgres postgres;
  private final LocalKafka kafka;
  private final LocalRegistry registry;
  private final AtomicInteger counter = new AtomicInteger();
  private LocalPipeline pipeline;
  private TlsPostgres tlsPostgres;

  /**
   * A PostgreSQL server that takes TCP clients only over TLS, with the CA its certificate verifies
   * against and the CA of another certificate, which it does not.
   */
  public record TlsPostgres(LocalPostgres server, Path ca, Path strangerCa) {}

  private SharedTestStack(
      Path workDir, LocalPostgres postgres, LocalKafka kafka, LocalRegistry registry) {
    this.workDir = workDir;
    this.postgres = postgres;
    this.kafka = kafka;
    this.registry = registry;
  }

  /** The shared stack, started on the first call. */
  public static SharedTestStack get() {
    SharedTestStack s = instance;
    if (s == null) {
      synchronized (SharedTestStack.class) {
        s = instance;
        if (s == null) {
          s = start();
          instance = s;
        }
      }
    }
    return s;
  }

  private static SharedTestStack start() {
    long t0 = System.nanoTime();
    Path workDir;
    try {
      Path target = Path.of(System.getProperty("ndc.project.dir", "."), "target");
      Files.createDirectories(target);
      workDir = Files.createTempDirectory(target, "it-stack-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Kafka does not depend on the others; start it while PostgreSQL and the registry come up.
    CompletableFuture<LocalKafka> kafka =
        CompletableFuture.supplyAsync(() -> LocalKafka.start(workDir.resolve("kafka"), 0));
    LocalPostgres postgres = null;
    LocalRegistry registry = null;
    try {
      postgres = LocalPostgres.start(workDir.resolve("postgres"), 0);
      Path registryTls = Files.createDirectories(workDir.resolve("registry-tls"));
      TestCertificates.selfSigned(
          registryTls.resolve("registry.p12"), registryTls.resolve("registry-ca.crt"));
      TestCertificates.privateKeyPem(
          registryTls.resolve("registry.p12"), registryTls.resolve("registry.key"));
      // HTTPS beside HTTP, for the tests of the job's registry TLS; everything else uses HTTP.
      registry =
          LocalRegistry.start(
              workDir.resolve("registry"),
              0,
              postgres,
              new ServerTls(
                  registryTls.resolve("registry-ca.crt"), registryTls.resolve("registry.key")));
      SharedTestStack stack = new SharedTestStack(workDir, postgres, kafka.join(), registry);
      Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "shared-test-stack-stop"));
      System.out.printf(
          "SharedTestStack up in %d ms: postgres %d, kafka %s, registry %s (work dir %s)%n",
          (System.nanoTime() - t0) / 1_000_000,
          postgres.port(),
          stack.bootstrapServers(),
          registry.url(),
          workDir);
      return stack;
    } catch (IOException | java.security.GeneralSecurityException e) {
      closeQuietly(registry);
      kafka.thenAccept(SharedTestStack::closeQuietly);
      closeQuietly(postgres);
      throw new IllegalStateException("cannot make the registry's certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(postgres);
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      closeQuietly(registry);
      kafka.thenAccept(SharedTestStack::closeQuietly);
      closeQuietly(postgres);
      throw e;
    }
  }

  /**
   * The project's own pipeline (connectors/ and jobs/person-sync.yaml) running on the shared stack:
   * captures plus the person-sync job, started once on first use.
   */
  public static LocalPipeline pipeline() {
    SharedTestStack stack = get();
    synchronized (SharedTestStack.class) {
      if (stack.pipeline == null) {
        Path project = Path.of(System.getProperty("ndc.project.dir", "."));
        LocalSettings settings =
            new LocalSettings(
                stack.workDir.resolve("pipeline"),
                project.resolve("connectors"),
                project.resolve("jobs/person-sync.yaml"),
                0,
                0,
                0,
                0,
                0,
                // The job's and the captures' metrics on free ports, as an operator's Prometheus
                // scrapes them (PersonSyncIT).
                0,
                0);
        stack.pipeline =
            LocalPipeline.startOn(
                settings, System.out, stack.postgres, stack.kafka, stack.registry);
      }
      return stack.pipeline;
    }
  }

  /**
   * The stack's TLS-only PostgreSQL (logical decoding on, as the main one), started on first use.
   */
  public synchronized TlsPostgres tlsPostgres() {
    if (tlsPostgres == null) {
      Path dir = newDir("tls-postgres");
      try {
        Path keystore = dir.resolve("server.p12");
        Path ca = dir.resolve("server-ca.crt");
        TestCertificates.selfSigned(keystore, ca);
        Path key = dir.resolve("server.key");
        TestCertificates.privateKeyPem(keystore, key);
        Path strangerCa = dir.resolve("stranger-ca.crt");
        TestCertificates.selfSigned(dir.resolve("stranger.p12"), strangerCa);
        LocalPostgres server = LocalPostgres.start(dir.resolve("pg"), 0, new ServerTls(ca, key));
        tlsPostgres = new TlsPostgres(server, ca, strangerCa);
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot make the TLS server's certificates", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return tlsPostgres;
  }

  private void stop() {
    closeQuietly(pipeline);
    if (tlsPostgres != null) {
      closeQuietly(tlsPostgres.server());
    }
    closeQuietly(registry);
    closeQuietly(kafka);
    closeQuietly(postgres);
    deleteRecursively(workDir);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("SharedTestStack: closing " + c.getClass().getSimpleName() + ": " + e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Leftovers live under target/ and go with the next clean.
    }
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  public LocalKafka kafka() {
    return kafka;
  }

  public LocalRegistry registry() {
    return registry;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** Apicurio v3 API URL, for the Apicurio serdes. */
  public String registryUrl() {
    return registry.apiV3Url();
  }

  /** The PEM file of the CA of the registry's HTTPS address ({@link LocalRegistry#httpsUrl}). */
  public Path registryCa() {
    return workDir.resolve("registry-tls").resolve("registry-ca.crt");
  }

  /** Confluent-compatible API URL, for Confluent-API clients. */
  public String ccompatUrl() {
    return registry.ccompatUrl();
  }

  public Path workDir() {
    return workDir;
  }

  /**
   * How many POSTs (registrations, compatibility checks) the registry's access log shows on {@code
   * subject}, or on any subject when null, counting every request answered before this call.
   */
  public long registryPosts(String subject) throws IOException, InterruptedException {
    // The registry logs a request after answering it: a request of our own, once logged, shows
    // that the log holds every request answered before it.
    String marker = uniqueName("access-log-marker");
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects/" + marker + "/versions"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      // Leniently decoded: the last line may be half written.
      List<String> lines =
          new String(Files.readAllBytes(registry.logFile()), StandardCharsets.UTF_8)
              .lines()
              .toList();
      if (lines.stream().anyMatch(l -> l.contains("/subjects/" + marker + "/"))) {
        return lines.stream()
            .filter(l -> l.contains("method=\"POST\""))
            .filter(
                l ->
                    subject == null
                        || l.contains("/subjects/" + subject + "/")
                        || l.contains("/subjects/" + subject + "\""))
            .count();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the registry's access log " + registry.logFile() + " does not show " + marker);
      }
      Thread.sleep(50);
    }
  }

  /** A name unique in this JVM, lower case and safe as a database, slot or topic name. */
  public String uniqueName(String prefix) {
    return (prefix + "_" + counter.incrementAndGet()).toLowerCase();
  }

  /** A new empty folder under the stack's work dir. */
  public Path newDir(String prefix) {
    try {
      return Files.createDirectories(workDir.resolve(uniqueName(prefix)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Apicurio serde settings for the Confluent wire format against the shared registry. */
  public Map<String, Object> avroSerdeConfig() {
    return RegistrySerde.confluentWireFormat(registryUrl());
  }
}
