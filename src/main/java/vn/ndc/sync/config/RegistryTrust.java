package vn.ndc.sync.config;

import java.net.URI;
import org.apache.flink.configuration.Configuration;

/** Which CA the job's registry clients trust, checked before anything starts. */
public final class RegistryTrust {

  private RegistryTrust() {}

  /**
   * The absolute path of {@code registry.ssl.truststore}, or "" when it is not set.
   *
   * @throws ConfigException when it is set for a registry reached over plain HTTP (it would be
   *     ignored), or is not a readable file, or a registry off this machine is plain HTTP
   */
  public static String truststore(Configuration options) {
    return truststore(
        options.get(PersonSyncOptions.REGISTRY_URL),
        options.get(PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE),
        PersonSyncOptions.REGISTRY_URL.key(),
        PersonSyncOptions.REGISTRY_SSL_TRUSTSTORE.key());
  }

  /**
   * The absolute path of {@code truststore} for a registry at {@code url}, or "" when it is empty;
   * errors name the option or flag that gave each ({@code urlName}, {@code truststoreName}).
   *
   * @throws ConfigException when a truststore is given for a plain-HTTP URL, or is not readable, or
   *     a registry that is not this machine is reached over plain HTTP
   */
  public static String truststore(
      String url, String truststore, String urlName, String truststoreName) {
    String host = url.startsWith("http://") ? hostOf(url) : null;
    if (host != null && !Loopback.isLoopback(host)) {
      // The schemas are the data dictionary every record is read and written with: whoever could
      // change them in transit could change what is accepted and how records are decoded.
      throw new ConfigException(
          urlName
              + " "
              + url
              + " is plain HTTP to "
              + host
              + ", which is not this machine; schemas come from another machine only over"
              + " HTTPS: use the registry's https:// address, with "
              + truststoreName
              + " for a private CA");
    }
    String file = truststore == null ? "" : truststore.trim();
    if (file.isEmpty()) {
      return "";
    }
    if (!url.startsWith("https://")) {
      throw new ConfigException(
          truststoreName
              + " is set but "
              + urlName
              + " "
              + url
              + " is not https; use the registry's HTTPS address, or remove "
              + truststoreName);
    }
    return ReadableFile.check(truststoreName, file, "the registry's CA");
  }

  // The URL's host; an http URL that does not parse names no host of this machine.
  private static String hostOf(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? url : host;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }
}
