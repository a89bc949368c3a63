package vn.ndc.sync.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JDBC URLs as the job and the tools take them: the NDC store's is checked before anything connects
 * (a PostgreSQL URL whose TLS parameters do what they say), and any URL is shown without its query
 * string, which may hold a password.
 */
public final class JdbcUrl {

  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private JdbcUrl() {}

  /**
   * Checks the NDC store's URL and returns it unchanged. pgjdbc reads TLS from the URL ({@code
   * sslmode}, {@code sslrootcert}); this refuses what pgjdbc would only find out at the first
   * connection, or not at all: a mode it does not know, a verifying mode without the CA file to
   * verify against, a CA file that would be ignored because the mode may fall back to plain text,
   * and certificate or key files that are not there.
   *
   * @param source the option or flag that gave the URL, named in errors
   * @throws ConfigException naming {@code source} and the fix
   */
  public static String checkStore(String url, String source) {
    if (url == null || !url.startsWith(POSTGRES_PREFIX)) {
      throw new ConfigException(
          source
              + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got "
              + (url == null ? "nothing" : withoutQuery(url)));
    }
    Map<String, String> params = parameters(url);
    String mode = sslMode(params);
    if (!SSL_MODES.contains(mode)) {
      throw new ConfigException(
          source + ": sslmode=" + mode + " is not one of " + String.join(", ", SSL_MODES));
    }
    String rootCert = params.get("sslrootcert");
    boolean verifies = mode.startsWith("verify-");
    if (verifies && rootCert == null && !params.containsKey("sslfactory")) {
      throw new ConfigException(
          source
              + ": sslmode="
              + mode
              + " needs sslrootcert=<PEM file with the store's CA> in the URL; without it pgjdbc"
              + " looks in the home directory of whoever runs the job");
    }
    if (rootCert != null && List.of("disable", "allow", "prefer").contains(mode)) {
      throw new ConfigException(
          source
              + ": sslrootcert is set but sslmode="
              + mode
              + " can connect without TLS, and does not check the certificate;"
              + " use sslmode=verify-full");
    }
    for (String file : List.of("sslrootcert", "sslcert", "sslkey")) {
      if (params.containsKey(file)) {
        ReadableFile.check(source + " " + file, params.get(file), "the file");
      }
    }
    return url;
  }

  /** The URL without its query string, for messages and logs. */
  public static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  // pgjdbc's rule: an explicit sslmode wins; ssl=true alone means verify-full; else prefer.
  private static String sslMode(Map<String, String> params) {
    String mode = params.get("sslmode");
    if (mode != null) {
      return mode.toLowerCase(Locale.ROOT);
    }
    return "true".equalsIgnoreCase(params.get("ssl")) ? "verify-full" : "prefer";
  }

  private static Map<String, String> parameters(String url) {
    Map<String, String> params = new LinkedHashMap<>();
    int q = url.indexOf('?');
    if (q < 0) {
      return params;
    }
    for (String pair : url.substring(q + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }
}
