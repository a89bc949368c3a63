package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.deliver.NdcTables;
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
    Path connectors = TestConnectors.only(dir, "civil-registry");
    Path folder = Files.move(connectors.resolve("civil-registry"), connectors.resolve(agency));
    Path properties = folder.resolve("connector.properties");
    Files.writeString(
        properties,
        Files.readString(properties, StandardCharsets.UTF_8)
            .replace("name=civil-registry", "name=" + name)
            .replace("database.dbname=civil_registry", "database.dbname=" + name)
            .replace("topic.prefix=civil-registry", "topic.prefix=" + name)
            .replace("slot.name=ndc_civil_registry", "slot.name=" + name),
        StandardCharsets.UTF_8);
    Path job = dir.resolve("person-sync.yaml");
    Files.writeString(
        job,
        "parallelism: 1\n"
            + "checkpoint: {interval: 2s}\n"
            + "topics: {person: ndc.person."
            + name
            + ", dead-letter: dlq."
            + name
            + ", review: review."
            + name
            + "}\n"
            + "kafka: {group-id: "
            + name
            + ", transactional-id-prefix: "
            + name
            + "}\n",
        StandardCharsets.UTF_8);

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
      assertThat(awaitSourceDatabase(stack, agency, personalId)).isEqualTo(name);
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

  /** The source database the store records for the agency's row, once the row is there. */
  private static String awaitSourceDatabase(SharedTestStack stack, String agency, String personalId)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      try (Connection c = stack.postgres().connect(LocalPipeline.NDC_DATABASE);
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT source_database FROM "
                      + NdcTables.PERSON_SOURCE
                      + " WHERE source_agency = ? AND personal_id = ?")) {
        ps.setString(1, agency);
        ps.setString(2, personalId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError(agency + " row " + personalId + " not in the store after 2 min");
  }
}
