package vn.ndc.sync.capture;

import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.SharedTestStack;

/** Starting a capture on the shared stack's broker and registry, and waiting on it, for tests. */
final class Captures {

  private Captures() {}

  /**
   * Debezium settings of a PostgreSQL capture of database {@code db} on {@code server}: its own
   * slot and publication (made by the connector, dropped when it stops), a snapshot first, offsets
   * in a new file.
   */
  static Properties postgres(String agency, LocalPostgres server, String db) {
    SharedTestStack stack = SharedTestStack.get();
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("name", agency);
    p.setProperty("topic.prefix", agency);
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", stack.uniqueName("slot"));
    p.setProperty("publication.name", stack.uniqueName("pub"));
    p.setProperty("publication.autocreate.mode", "filtered");
    p.setProperty("slot.drop.on.stop", "true");
    p.setProperty("database.hostname", server.host());
    p.setProperty("database.port", Integer.toString(server.port()));
    p.setProperty("database.user", server.user());
    p.setProperty("database.password", server.password());
    p.setProperty("database.dbname", db);
    p.setProperty("snapshot.mode", "initial");
    p.setProperty("poll.interval.ms", "50");
    p.setProperty(
        "offset.storage.file.filename", stack.newDir("offsets").resolve("offsets.dat").toString());
    return p;
  }

  /** A capture of {@code agency} with {@code props}, writing to the shared stack. */
  static DebeziumCapture start(String agency, Properties props) {
    SharedTestStack stack = SharedTestStack.get();
    return DebeziumCapture.builder()
        .agency(agency)
        .debeziumProperties(props)
        .bootstrapServers(stack.bootstrapServers())
        .registryUrl(stack.registryUrl())
        .start();
  }

  /**
   * Waits up to 90 s for {@code condition}; fails at once with the capture's failure if it stops,
   * and with {@code what} and the counts so far when time runs out.
   */
  static void await(BooleanSupplier condition, DebeziumCapture capture, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (capture.failure().isPresent()) {
        throw new AssertionError("capture failed waiting for " + what, capture.failure().get());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for " + what + "; captured " + capture.capturedPerTopic());
      }
      Thread.sleep(50);
    }
  }
}
