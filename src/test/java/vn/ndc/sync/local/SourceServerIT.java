package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.testing.StoreRows;
import vn.ndc.sync.testing.TestConnectors;

/**
 * An agency whose PostgreSQL source is on a server of its own (as the bench runs the population
 * database, and as every agency runs in production): `local` prepares the database and the capture
 * reads the changes on that server, while the store stays on the shared one.
 */
class SourceServerIT {

  @Test
  void anAgencyOnAServerOfItsOwnIsPreparedAndCapturedThere() throws Exception {
    SharedTestStack stack = SharedTestStack.get();
    String name = stack.uniqueName("own_server");
    String agency = name.replace('_', '-');
    Path dir = stack.newDir("own-server");
    Path connectors =
        TestConnectors.renamed(
                dir,
                "civil-registry",
                agency,
                connector ->
                    connector
                        .replace("name=civil-registry", "name=" + name)
                        .replace("database.dbname=civil_registry", "database.dbname=" + name)
                        .replace("topic.prefix=civil-registry", "topic.prefix=" + name)
                        .replace("slot.name=ndc_civil_registry", "slot.name=" + name))
            .getParent();
    Path job = TestConnectors.isolatedJob(dir, name);

    try (LocalPostgres own = LocalPostgres.start(dir.resolve("postgres"), 0);
        LocalPipeline pipeline =
            LocalPipeline.startOn(
                new LocalSettings(dir.resolve("work"), connectors, job, 0, 0, 0, 0),
                System.out,
                stack.postgres(),
                Map.of(name, own),
                stack.kafka(),
                stack.registry(),
                null)) {
      pipeline.awaitReady(Duration.ofMinutes(3));
      assertThat(databaseExists(own, name)).as("source database on its own server").isTrue();
      assertThat(databaseExists(stack.postgres(), name))
          .as("source database on the shared server")
          .isFalse();
      assertThat(pipeline.sourceJdbcUrl(pipeline.agencies().get(0)))
          .contains(":" + own.port() + "/");

      // Province 001, a woman born in 1991 (century-and-sex digit 1, year 91).
      String personalId =
          "001191" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
      try (Connection c = own.connect(name);
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh)"
                      + " VALUES (?, 'Lê Thị Riêng', '07/08/1991', 'Nữ')")) {
        ps.setString(1, personalId);
        ps.executeUpdate();
      }
      assertThat(StoreRows.awaitSourceRow(stack.postgres(), agency, personalId, row -> true))
          .containsEntry("source_database", name);
    }
  }

  private static boolean databaseExists(LocalPostgres server, String database) throws SQLException {
    try (Connection c = server.connect("postgres");
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
