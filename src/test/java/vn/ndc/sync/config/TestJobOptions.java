package vn.ndc.sync.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** Validated person-sync options for tests: the required keys filled in, the given ones on top. */
public final class TestJobOptions {

  private TestJobOptions() {}

  /**
   * {@code values} over placeholders for the required Kafka, registry and store addresses, which
   * nothing connects to unless the test says where.
   */
  public static Configuration with(Map<String, String> values) {
    Map<String, String> all = new HashMap<>();
    all.put("kafka.bootstrap-servers", "localhost:9092");
    all.put("registry.url", "http://localhost:8080/apis/registry/v3");
    all.put("store.jdbc-url", "jdbc:postgresql://localhost:5432/ndc");
    all.putAll(values);
    return JobConfig.validate(all, PersonSyncOptions.class, "test options");
  }
}
