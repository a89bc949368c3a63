package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.TestJobOptions;
import vn.ndc.sync.enrich.TestRecords;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.SharedTestStack;

/**
 * The job's NDC store over TLS: against a server that refuses plain-text clients, the store is
 * prepared and written through the job's own store settings with {@code sslmode=verify-full}, and a
 * server certificate from another CA is refused.
 */
class StoreTlsIT {

  private static final SharedTestStack stack = SharedTestStack.get();
  private static LocalPostgres server;
  private static Path serverCa;
  private static Path strangerCa;

  @BeforeAll
  static void tlsServer() {
    SharedTestStack.TlsPostgres tls = stack.tlsPostgres();
    server = tls.server();
    serverCa = tls.ca();
    strangerCa = tls.strangerCa();
    server.createDatabaseIfMissing("ndc");
  }

  private static String url(String query) {
    return server.jdbcUrl("ndc") + query;
  }

  private static PersonStoreSink.Settings jobStoreSettings(String jdbcUrl) {
    Configuration options =
        TestJobOptions.with(Map.of("store.jdbc-url", jdbcUrl, "store.user", server.user()));
    return PersonSyncJob.storeSettings(options);
  }

  @Test
  void theJobsStoreIsPreparedAndWrittenOverVerifiedTls() throws Exception {
    PersonStoreSink.Settings store =
        jobStoreSettings(url("?sslmode=verify-full&sslrootcert=" + serverCa));
    NdcStore.ensureSchema(store.jdbcUrl(), store.user(), store.password());
    try (var batches =
        new RecoverableJdbcSink.StoreBatches<>(store, PersonStoreSink.UPSERT_SOURCE, 0)) {
      batches.write(
          List.of(
              TestRecords.person("civil-registry")
                  .name("Trần Thị Bình")
                  .sourceKey("tls-1")
                  .build()));
    }

    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), server.user(), "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT p.person_key, t.ssl FROM ndc.person_source p, pg_stat_ssl t"
                    + " WHERE t.pid = pg_backend_pid()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("row:tls-1");
      assertThat(rs.getBoolean(2)).as("this session is TLS").isTrue();
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefused() {
    PersonStoreSink.Settings store =
        jobStoreSettings(url("?sslmode=verify-full&sslrootcert=" + strangerCa));

    assertThatThrownBy(() -> NdcStore.ensureSchema(store.jdbcUrl(), store.user(), store.password()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot prepare the NDC store")
        .hasMessageContaining("SSL");
    // The sink's own connections check the certificate too: had they dropped the URL's TLS
    // settings, pgjdbc's default (prefer) would encrypt without checking and this write would land.
    var batches = new RecoverableJdbcSink.StoreBatches<>(store, PersonStoreSink.UPSERT_SOURCE, 0);
    assertThatThrownBy(
            () ->
                batches.write(
                    List.of(
                        TestRecords.person("civil-registry").sourceKey("tls-stranger").build())))
        .isInstanceOf(java.io.IOException.class)
        .cause()
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SSL error");
    batches.close();
  }

  @Test
  void theServerRefusesAClientWithoutTls() {
    Properties props = new Properties();
    props.setProperty("user", server.user());
    props.setProperty("sslmode", "disable");

    assertThatThrownBy(() -> DriverManager.getConnection(url(""), props).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("no encryption");
  }
}
