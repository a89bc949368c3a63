package vn.ndc.sync.local;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.ndc.sync.deliver.SchemaRegistryClient;

/**
 * Runs one schema registration and one lookup by id through a freshly started registry. A cold
 * registry answered the captures' first registrations in 2–5 s each (measured with JFR on `local`),
 * which the first changes of a run otherwise wait for. The subject {@value #SUBJECT} stays (the
 * registry refuses deletes by default); registering the same schema again at the next start is a
 * no-op.
 */
final class RegistryWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWarmUp.class);
  static final String SUBJECT = "ndc-sync-warm-up-value";

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"WarmUp\",\"namespace\":\"vn.ndc.sync.local\","
                  + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                  + "{\"name\":\"text\",\"type\":[\"null\",\"string\"],\"default\":null},"
                  + "{\"name\":\"inner\",\"type\":{\"type\":\"record\",\"name\":\"WarmUpInner\","
                  + "\"fields\":[{\"name\":\"at\",\"type\":{\"type\":\"long\","
                  + "\"logicalType\":\"timestamp-micros\"}}]}}]}");

  private static final Schema EVOLVED =
      new Schema.Parser()
          .parse(
              SCHEMA
                  .toString()
                  .replace(
                      "\"fields\":[{\"name\":\"id\"",
                      "\"fields\":[{\"name\":\"note\",\"type\":[\"null\",\"string\"],"
                          + "\"default\":null},{\"name\":\"id\""));

  private RegistryWarmUp() {}

  /** Warms up the registry at {@code ccompatUrl}; failures are logged, never thrown. */
  static void run(String ccompatUrl) {
    long started = System.nanoTime();
    try {
      SchemaRegistryClient client = new SchemaRegistryClient(ccompatUrl);
      client.schemaById(client.register(SUBJECT, SCHEMA));
      // A second version runs the compatibility rule, as a changed source table would.
      client.schemaById(client.register(SUBJECT, EVOLVED));
      LOG.info("registry warm-up took {} ms", (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn(
          "registry warm-up failed (only the first registrations are slower): {}", e.toString());
    }
  }
}
