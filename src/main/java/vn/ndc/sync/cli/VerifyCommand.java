package vn.ndc.sync.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vn.ndc.sync.capture.ConnectorConfig;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JdbcUrl;
import vn.ndc.sync.job.Mappings;
import vn.ndc.sync.local.LocalEndpoints;
import vn.ndc.sync.local.LocalMariaDb;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.verify.JdbcEndpoint;
import vn.ndc.sync.verify.SourceReport;
import vn.ndc.sync.verify.Verifier;

/** `ndc-sync verify`: reconciles every agency source table with the NDC store. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Reconciles every agency source table with the NDC store: each source row is standardized"
          + " with its agency's mapping and compared, by person key and content hash, with the"
          + " live rows of ndc.person_source (the NDC's record of each agency row).",
      "Exit code 0 when every source agrees with the store, 1 when something is missing, extra"
          + " or different, 2 on a configuration error."
    })
public final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--connectors",
      defaultValue = "connectors",
      description = "Folder with one sub-folder per agency (default: ${DEFAULT-VALUE}).")
  Path connectors;

  @Option(
      names = "--source",
      paramLabel = "AGENCY=JDBC-URL",
      description =
          "JDBC URL of an agency's source database; repeat per agency. A server that is not this"
              + " machine needs TLS that checks its certificate in the URL (PostgreSQL"
              + " sslmode=verify-full&sslrootcert=<CA file>, MariaDB sslMode=verify-full).")
  Map<String, String> sources = new LinkedHashMap<>();

  @Option(
      names = "--source-user",
      description = "User for the source databases (unless in the URL).")
  String sourceUser;

  @Option(
      names = "--source-password",
      defaultValue = "${env:NDC_SOURCE_PASSWORD}",
      description =
          "Password for the source databases (unless in the URL; default: environment variable"
              + " NDC_SOURCE_PASSWORD, which, unlike an argument, no process list shows).")
  String sourcePassword;

  @Option(names = "--store", paramLabel = "JDBC-URL", description = "JDBC URL of the NDC store.")
  String store;

  @Option(names = "--store-user", description = "User of the NDC store (unless in the URL).")
  String storeUser;

  @Option(
      names = "--store-password",
      defaultValue = "${env:NDC_STORE_PASSWORD}",
      description =
          "Password of the NDC store (unless in the URL; default: environment variable"
              + " NDC_STORE_PASSWORD, as the job reads it).")
  String storePassword;

  @Option(
      names = "--local",
      description =
          "Verify the embedded pipeline of --work-dir: uses the running `local`, or starts its"
              + " PostgreSQL.")
  boolean local;

  @Option(
      names = "--work-dir",
      defaultValue = ".ndc-local",
      description = "Work directory of `local` (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "Keys listed per kind of disagreement (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--show-keys",
      description =
          "List the disagreeing person keys whole. They are personal or former ID numbers, so by"
              + " default all but their first and last three digits are starred.")
  boolean showKeys;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> dirs = Mappings.personSourceFolders(connectors);
    for (Path dir : Mappings.agencyFolders(connectors)) {
      if (!dirs.contains(dir)) {
        // Its citizens live in the job's state as the reference, not in the store's tables.
        out.println(
            "source "
                + dir.getFileName()
                + ": the population reference (Citizen), not stored in the NDC tables; skipped");
      }
    }
    // Every URL is checked before anything connects or starts.
    String storeUrl = store == null ? null : JdbcUrl.checkStore(store, "--store");
    sources.forEach((agency, url) -> JdbcUrl.checkSource(url, "--source " + agency));
    LocalPostgres startedPostgres = null;
    LocalMariaDb startedMariaDb = null;
    try {
      Map<String, String> localUrls = new HashMap<>();
      if (local) {
        Optional<Map<String, String>> running = runningLocal();
        if (running.isPresent()) {
          localUrls.putAll(running.get());
        } else {
          out.println("verify: no running `local` on " + workDir + "; starting its databases");
          out.flush();
          startedPostgres = LocalPostgres.start(workDir.resolve("postgres"), 0);
          localUrls.put(
              "ndc-jdbc",
              startedPostgres.jdbcUrl(LocalPipeline.NDC_DATABASE)
                  + "?user="
                  + startedPostgres.user());
          for (Path dir : dirs) {
            String agency = dir.getFileName().toString();
            Path file = dir.resolve(ConnectorConfig.FILE_NAME);
            Properties debezium = connectorProperties(dir);
            LocalPipeline.SourceDb kind = LocalPipeline.SourceDb.of(file, debezium);
            String database = kind.database(file, debezium);
            if (kind == LocalPipeline.SourceDb.MARIADB) {
              if (startedMariaDb == null) {
                startedMariaDb = LocalMariaDb.start(workDir.resolve("mariadb"), 0);
              }
              localUrls.put(
                  "source-" + agency,
                  startedMariaDb.jdbcUrl(database)
                      + "?user="
                      + startedMariaDb.user()
                      + "&password="
                      + startedMariaDb.password());
            } else {
              localUrls.put(
                  "source-" + agency,
                  startedPostgres.jdbcUrl(database) + "?user=" + startedPostgres.user());
            }
          }
        }
      }
      JdbcEndpoint storeEndpoint =
          endpoint(
              storeUrl, localUrls.get("ndc-jdbc"), storeUser, storePassword, "--store <jdbc-url>");
      Verifier verifier = new Verifier(storeEndpoint);
      boolean allAgree = true;
      List<String> mismatched = new ArrayList<>();
      for (Path dir : dirs) {
        String agency = dir.getFileName().toString();
        JdbcEndpoint source =
            endpoint(
                sources.get(agency),
                localUrls.get("source-" + agency),
                sourceUser,
                sourcePassword,
                "--source " + agency + "=<jdbc-url>");
        SourceReport report =
            verifier.verify(new Verifier.Source(agency, Mappings.load(dir), source));
        report.print(out, limit, showKeys);
        out.flush();
        if (!report.agrees()) {
          allAgree = false;
          mismatched.add(agency);
        }
      }
      out.println(
          allAgree
              ? "verify: OK, every source agrees with the NDC store"
              : "verify: MISMATCH in " + String.join(", ", mismatched));
      out.flush();
      return allAgree ? 0 : 1;
    } finally {
      if (startedMariaDb != null) {
        startedMariaDb.close();
      }
      if (startedPostgres != null) {
        startedPostgres.close();
      }
    }
  }

  private static JdbcEndpoint endpoint(
      String given, String fromLocal, String user, String password, String flag) {
    if (given != null) {
      return new JdbcEndpoint(given, user, password);
    }
    if (fromLocal != null) {
      return new JdbcEndpoint(fromLocal, null, null);
    }
    throw new ConfigException("no database given: pass " + flag + " or --local");
  }

  /** The endpoints file of a `local` that still answers on it; a stale file is ignored. */
  private Optional<Map<String, String>> runningLocal() {
    Optional<Map<String, String>> endpoints = LocalEndpoints.read(workDir);
    if (endpoints.isEmpty() || endpoints.get().get("ndc-jdbc") == null) {
      return Optional.empty();
    }
    try (Connection c = new JdbcEndpoint(endpoints.get().get("ndc-jdbc"), null, null).connect()) {
      return endpoints;
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Properties connectorProperties(Path agencyDir) {
    Map<String, String> placeholders = new HashMap<>();
    placeholders.put("db.host", "127.0.0.1");
    placeholders.put("db.port", "0");
    placeholders.put("db.user", "-");
    placeholders.put("db.password", "-");
    return ConnectorConfig.load(agencyDir, placeholders).debeziumProperties();
  }
}
