package vn.ndc.sync.capture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Runs the Debezium connector's own validation (which also connects to the database) and returns
 * what it refuses, field by field.
 *
 * <p>The embedded engine does the same before it starts, but Debezium 3.5 reports a refusal through
 * a method Kafka Connect 4.x no longer has: the capture would fail with a {@code NoSuchMethodError}
 * about {@code ConfigInfos.values()} instead of the reason (a wrong password, an unreachable host,
 * a certificate from another CA). Validating first keeps the reason.
 */
final class ConnectorValidation {

  private ConnectorValidation() {}

  /**
   * The connector's complaints about {@code properties} as {@code field: message}; empty when it
   * accepts them.
   *
   * @throws IllegalArgumentException when {@code connector.class} is not a source connector here
   */
  static List<String> problems(Properties properties) {
    String className = properties.getProperty("connector.class");
    SourceConnector connector;
    try {
      connector =
          Class.forName(className)
              .asSubclass(SourceConnector.class)
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(
          "connector.class " + className + " is not a Kafka Connect source connector here", e);
    }
    Map<String, String> config = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
    Config validated = connector.validate(config);
    List<String> problems = new ArrayList<>();
    for (ConfigValue value : validated.configValues()) {
      for (String message : value.errorMessages()) {
        problems.add(value.name() + ": " + message);
      }
    }
    return problems;
  }
}
