package vn.ndc.sync.config;

/** A configuration problem found before anything starts; the message names the key and the fix. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
