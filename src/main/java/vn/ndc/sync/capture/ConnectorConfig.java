package vn.ndc.sync.capture;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.ndc.sync.config.ConfigException;

/**
 * The Debezium connector config of one agency, read from {@code connectors/<agency>/
 * connector.properties} with {@code ${name}} placeholders filled from caller-supplied values
 * (database host, port, credentials), so the same file serves Kafka Connect and the embedded
 * engine.
 */
public final class ConnectorConfig {

  /** File name of the connector config inside an agency folder. */
  public static final String FILE_NAME = "connector.properties";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  private final String agency;
  private final Path file;
  private final Properties properties;

  private ConnectorConfig(String agency, Path file, Properties properties) {
    this.agency = agency;
    this.file = file;
    this.properties = properties;
  }

  /** Loads {@code <connectorsDir>/<agency>/connector.properties}. */
  public static ConnectorConfig load(
      Path connectorsDir, String agency, Map<String, String> values) {
    return load(connectorsDir.resolve(agency), values);
  }

  /** Loads {@code <agencyDir>/connector.properties}; the agency is the folder's name. */
  public static ConnectorConfig load(Path agencyDir, Map<String, String> values) {
    Path file = agencyDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "connector config not found: "
              + file
              + "; each agency folder under connectors/ needs a "
              + FILE_NAME);
    }
    Properties raw = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      raw.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read connector config " + file, e);
    }
    Properties resolved = new Properties();
    for (String key : raw.stringPropertyNames()) {
      resolved.setProperty(key, resolve(file, key, raw.getProperty(key), values));
    }
    String agency = agencyDir.toAbsolutePath().normalize().getFileName().toString();
    return new ConnectorConfig(agency, file, resolved);
  }

  private static String resolve(Path file, String key, String value, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).trim();
      String replacement = values.get(name);
      if (replacement == null) {
        throw new ConfigException(
            "connector config "
                + file
                + ": key "
                + key
                + " uses placeholder ${"
                + name
                + "}, which has no value; supply "
                + name
                + " or replace the placeholder with a literal value");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The agency code: the name of the folder the config came from. */
  public String agency() {
    return agency;
  }

  public Path file() {
    return file;
  }

  /** A fresh copy of the resolved properties; callers may add engine settings to it. */
  public Properties debeziumProperties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }
}
