package vn.ndc.sync.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import vn.ndc.sync.config.ConfigException;

/**
 * Apicurio Registry 3.3.3 running as a child JVM, storing its data in a PostgreSQL database so
 * schema ids survive restarts.
 *
 * <p>It runs out of process because the server needs Java 21+ and brings its own Quarkus classpath.
 * The child binds only to 127.0.0.1, logs to a file in the work dir, and is killed on {@link
 * #close()}, by a JVM shutdown hook, and (if a previous JVM died hard) on the next start in the
 * same work dir.
 */
public final class LocalRegistry implements AutoCloseable {

  /** System property naming the unpacked registry (the folder holding quarkus-run.jar). */
  public static final String HOME_PROPERTY = "ndc.registry.home";

  /** Environment variable naming the unpacked registry, used when the property is unset. */
  public static final String HOME_ENV = "NDC_REGISTRY_HOME";

  /** Database in the local PostgreSQL that holds the registry's tables. */
  public static final String DATABASE = "registry";

  private static final String MARKER_PROPERTY = "ndc.registry.workdir";
  private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final int httpsPort;
  private final int managementPort;
  private final Path logFile;
  private final Thread shutdownHook;
  private boolean closed;

  private LocalRegistry(
      Process process, int port, int httpsPort, int managementPort, Path logFile) {
    this.process = process;
    this.port = port;
    this.httpsPort = httpsPort;
    this.managementPort = managementPort;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::kill, "ndc-registry-killer");
  }

  /**
   * Starts the registry with its storage in the {@code registry} database of {@code postgres}.
   *
   * @param workDir folder for the log and the registry's temporary files
   * @param port HTTP port, or 0 to pick a free one
   */
  public static LocalRegistry start(Path workDir, int port, LocalPostgres postgres) {
    return start(workDir, port, postgres, null);
  }

  /**
   * As {@link #start(Path, int, LocalPostgres)}, with an HTTPS port beside the HTTP one when {@code
   * tls} is not null ({@link #httpsUrl}).
   */
  public static LocalRegistry start(Path workDir, int port, LocalPostgres postgres, ServerTls tls) {
    postgres.createDatabaseIfMissing(DATABASE);
    return start(
        workDir,
        port,
        postgres.jdbcUrl(DATABASE),
        postgres.user(),
        postgres.password(),
        DEFAULT_READY_TIMEOUT,
        tls);
  }

  /** Starts the registry against any PostgreSQL database, waiting up to {@code readyTimeout}. */
  public static LocalRegistry start(
      Path workDir, int port, String jdbcUrl, String user, String password, Duration readyTimeout) {
    return start(workDir, port, jdbcUrl, user, password, readyTimeout, null);
  }

  private static LocalRegistry start(
      Path workDir,
      int port,
      String jdbcUrl,
      String user,
      String password,
      Duration readyTimeout,
      ServerTls tls) {
    Path home = home();
    Path java = RegistryJava.find();
    int httpPort = Ports.resolve(port, "--registry-port");
    int managementPort = Ports.freePort();
    Path dir = workDir.toAbsolutePath();
    Path logFile = dir.resolve("registry.log");
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createDirectories(dir.resolve("registry-tmp"));
      killStaleChild(dir);
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      // Small heap and the serial collector: the registry serves a few cached lookups, and the
      // machine has two cores shared with Kafka, Flink and PostgreSQL.
      command.add("-Xms64m");
      command.add("-Xmx384m");
      command.add("-XX:+UseSerialGC");
      command.add("-XX:+ExitOnOutOfMemoryError");
      // A class-data archive written at the first clean exit speeds up every later start;
      // the JVM rebuilds it by itself if the JDK or the registry jar changes.
      command.add("-XX:SharedArchiveFile=" + dir.resolve("registry-cds.jsa"));
      command.add("-XX:+AutoCreateSharedArchive");
      command.add("-Djava.io.tmpdir=" + tmp);
      command.add("-D" + MARKER_PROPERTY + "=" + dir);
      command.add("-Dquarkus.http.host=127.0.0.1");
      command.add("-Dquarkus.http.port=" + httpPort);
      int httpsPort = -1;
      if (tls != null) {
        httpsPort = Ports.freePort();
        command.add("-Dquarkus.http.ssl-port=" + httpsPort);
        command.add("-Dquarkus.http.ssl.certificate.files=" + tls.certificate().toAbsolutePath());
        command.add(
            "-Dquarkus.http.ssl.certificate.key-files=" + tls.privateKey().toAbsolutePath());
      }
      command.add("-Dquarkus.management.host=127.0.0.1");
      command.add("-Dquarkus.management.port=" + managementPort);
      command.add("-Dapicurio.rules.global.compatibility=BACKWARD_TRANSITIVE");
      command.add("-Dapicurio.storage.kind=sql");
      command.add("-Dapicurio.storage.sql.kind=postgresql");
      command.add("-Dapicurio.datasource.url=" + jdbcUrl);
      command.add("-Dapicurio.datasource.username=" + user);
      // The default pool keeps 20 connections open; a handful is plenty here.
      command.add("-Dapicurio.datasource.jdbc.initial-size=2");
      command.add("-Dapicurio.datasource.jdbc.min-size=2");
      command.add("-Dapicurio.datasource.jdbc.max-size=20");
      command.add("-Dapicurio.storage.snapshot.location=" + tmp);
      command.add("-Dapicurio.import.work-dir=" + tmp);
      command.add("-jar");
      command.add(home.resolve("quarkus-run.jar").toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(logFile.toFile()))
              .redirectInput(Redirect.from(nullDevice()));
      // Kept out of the command line so it does not show in ps.
      builder.environment().put("APICURIO_DATASOURCE_PASSWORD", password);
      Files.writeString(
          logFile,
          "---- starting " + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Process process = builder.start();
      LocalRegistry registry =
          new LocalRegistry(process, httpPort, httpsPort, managementPort, logFile);
      Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
      try {
        registry.awaitReady(readyTimeout);
        RegistryWarmUp.run(registry.ccompatUrl());
      } catch (RuntimeException e) {
        registry.close();
        throw e;
      }
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Apicurio Registry in " + dir, e);
    }
  }

  /**
   * The unpacked registry: {@value #HOME_PROPERTY}, else {@value #HOME_ENV}, else {@code
   * apicurio-registry} beside the running jar (or classes folder), else {@code
   * target/apicurio-registry} under the current directory.
   */
  public static Path home() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty(HOME_PROPERTY);
    String env = System.getenv(HOME_ENV);
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    } else if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    } else {
      codeLocation().ifPresent(p -> candidates.add(p.resolveSibling("apicurio-registry")));
      candidates.add(Path.of("target", "apicurio-registry"));
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate.resolve("quarkus-run.jar"))) {
        return candidate.toAbsolutePath();
      }
    }
    throw new ConfigException(
        "Apicurio Registry not found (looked for quarkus-run.jar in "
            + candidates
            + "); run ./mvnw package first, or set -D"
            + HOME_PROPERTY
            + " or "
            + HOME_ENV
            + " to the unpacked apicurio-registry-app folder");
  }

  private static Optional<Path> codeLocation() {
    try {
      CodeSource source = LocalRegistry.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /**
   * Kills every registry left running for this work dir by a JVM that died without running its
   * shutdown hooks, found by the marker on its command line (a pid file written after the start
   * would miss one whose JVM was killed in between); refuses to start when a live JVM owns one.
   */
  private static void killStaleChild(Path dir) {
    for (ProcessHandle registry :
        OrphanCheck.withArgument(("-D" + MARKER_PROPERTY + "=" + dir)::equals)) {
      OrphanCheck.refuseIfOwned("Schema registry", registry, dir);
      registry.destroyForcibly();
      try {
        registry.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop stale registry process " + registry.pid(), e);
      }
    }
  }

  private void awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited with code "
                + process.exitValue()
                + " during startup; log "
                + logFile
                + " ends with:\n"
                + logTail(40));
      }
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "Apicurio Registry was not ready on "
            + managementUrl()
            + "/health/ready within "
            + timeout.toSeconds()
            + " s; log "
            + logFile
            + " ends with:\n"
            + logTail(40));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The last {@code lines} lines of the registry log, for error messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  public int port() {
    return port;
  }

  public int managementPort() {
    return managementPort;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The HTTPS address (by host name, as certificates name it); only with a {@link ServerTls}. */
  public String httpsUrl() {
    if (httpsPort < 0) {
      throw new IllegalStateException("this registry was started without TLS");
    }
    return "https://localhost:" + httpsPort;
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  /** Confluent Schema Registry compatible API, for stock Confluent clients. */
  public String ccompatUrl() {
    return url() + "/apis/ccompat/v7";
  }

  /** Apicurio v3 API, the {@code apicurio.registry.url} for the Apicurio serdes. */
  public String apiV3Url() {
    return url() + "/apis/registry/v3";
  }

  public Path logFile() {
    return logFile;
  }

  public long pid() {
    return process.pid();
  }

  private void kill() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook is running or will run.
    }
    kill();
  }
}
