package vn.ndc.sync.config;

/** A configuration problem, reported before a job starts with a message naming the key and fix. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
