package vn.ndc.sync.config;

import org.apache.flink.configuration.Configuration;

/** Which CA the job's registry clients trust, checked before anything starts. */
public final class RegistryTrust {

  private RegistryTrust() {}

  /**
   * The absolute path of {@code registry.ssl.truststore}, or "" when it is not set.
   *
   * @throws ConfigException when it is set for a registry reached over plain HTTP (it would be
   *     ignored), or is not a readable file
   */
  public static String truststore(Configuration options) {
    String truststore = options.get(PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE).trim();
    if (truststore.isEmpty()) {
      return "";
    }
    String url = options.get(PersonSyncOptions.REGISTRY_URL);
    if (!url.startsWith("https://")) {
      throw new ConfigException(
          PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE.key()
              + " is set but "
              + PersonSyncOptions.REGISTRY_URL.key()
              + " "
              + url
              + " is not https; use the registry's HTTPS address, or remove "
              + PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE.key());
    }
    return ReadableFile.check(
        PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE.key(), truststore, "the registry's CA");
  }
}
