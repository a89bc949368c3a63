package vn.ndc.sync.deliver;

import java.util.HashMap;
import java.util.Map;

/**
 * Apicurio serde settings that put the Confluent wire format (magic byte 0, 4-byte schema id) on
 * every Avro topic, so that stock Confluent-API clients read them through the registry's ccompat
 * API.
 */
public final class RegistrySerde {

  /**
   * Setting naming a PEM file of the CA that signed an HTTPS registry's certificate; ndc-sync's own
   * registry client ({@link SchemaRegistryClient#of}) reads it, Apicurio's serdes ignore it.
   */
  public static final String TRUSTSTORE = "ndc.registry.ssl.truststore";

  private RegistrySerde() {}

  /** As {@link #confluentWireFormat(String)}, trusting the CA in {@code truststorePem} if given. */
  public static Map<String, Object> confluentWireFormat(
      String registryBaseUrl, String truststorePem) {
    Map<String, Object> config = confluentWireFormat(registryBaseUrl);
    if (truststorePem != null && !truststorePem.isEmpty()) {
      config.put(TRUSTSTORE, truststorePem);
    }
    return config;
  }

  /**
   * Serializer/deserializer settings for a registry reached at {@code registryBaseUrl}.
   *
   * @param registryBaseUrl the registry's root (http://host:port) or any of its API URLs
   */
  public static Map<String, Object> confluentWireFormat(String registryBaseUrl) {
    Map<String, Object> config = new HashMap<>();
    config.put("apicurio.registry.url", apiV3Url(registryBaseUrl));
    config.put("apicurio.registry.headers.enabled", false);
    config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
    config.put("apicurio.registry.use-id", "contentId");
    config.put("apicurio.registry.auto-register", true);
    config.put("apicurio.registry.find-latest", false);
    return config;
  }

  /** Normalizes any registry URL (root, v3 or ccompat) to its v3 API URL. */
  public static String apiV3Url(String url) {
    return root(url) + "/apis/registry/v3";
  }

  /** Normalizes any registry URL (root, v3 or ccompat) to its ccompat v7 API URL. */
  public static String ccompatUrl(String url) {
    return root(url) + "/apis/ccompat/v7";
  }

  private static String root(String url) {
    String root = url.replaceAll("/+$", "");
    int apis = root.indexOf("/apis/");
    return apis >= 0 ? root.substring(0, apis) : root;
  }
}
