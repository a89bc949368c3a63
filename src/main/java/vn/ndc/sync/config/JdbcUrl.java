package vn.ndc.sync.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JDBC URLs as the job and the tools take them: the NDC store's and the agencies' are checked
 * before anything connects (TLS parameters that do what they say, and verified TLS to any server
 * that is not this machine), and any URL is shown without its query string, which may hold a
 * password.
 */
public final class JdbcUrl {

  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  private static final String MARIADB_PREFIX = "jdbc:mariadb:";
  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  // MariaDB Connector/J's names and aliases of the modes that check the server's certificate.
  private static final List<String> MARIADB_VERIFYING_MODES =
      List.of("VERIFY_CA", "VERIFY_FULL", "VERIFY_IDENTITY");
  private static final Pattern HOSTS_START = Pattern.compile("(?:[A-Za-z]+:)?//");
  private static final String TLS_RULE =
      "the rows it reads and writes are personal data, which leaves this machine only over TLS"
          + " that checks the server's certificate";

  private JdbcUrl() {}

  /**
   * Checks the NDC store's URL and returns it unchanged. pgjdbc reads TLS from the URL ({@code
   * sslmode}, {@code sslrootcert}); this refuses what pgjdbc would only find out at the first
   * connection, or not at all: a mode it does not know, a verifying mode without the CA file to
   * verify against, a CA file that would be ignored because the mode may fall back to plain text,
   * and certificate or key files that are not there. A server that is not this machine (loopback)
   * must be reached with {@code sslmode=verify-full} or {@code verify-ca}: any other mode may send
   * the rows in plain text or to whoever answers in the server's place.
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
    String remote = firstRemoteHost(url, POSTGRES_PREFIX);
    if (remote != null && !verifies) {
      throw new ConfigException(
          source
              + ": "
              + remote
              + " is not this machine, and sslmode="
              + mode
              + (List.of("disable", "allow", "prefer").contains(mode)
                  ? " may connect in plain text"
                  : " does not check the server's certificate")
              + "; "
              + TLS_RULE
              + ". Add sslmode=verify-full&sslrootcert=<PEM file with the server's CA> to the URL"
              + " (verify-ca when the name you connect to is not in the certificate)");
    }
    return url;
  }

  /**
   * Checks an agency database's URL, as {@code verify --source} takes it, and returns it unchanged:
   * a PostgreSQL URL as {@link #checkStore}; a MariaDB URL to a server that is not this machine
   * must set {@code sslMode=verify-full} or {@code verify-ca}.
   *
   * @param source the flag that gave the URL, named in errors
   * @throws ConfigException naming {@code source} and the fix
   */
  public static String checkSource(String url, String source) {
    if (url != null && url.startsWith(MARIADB_PREFIX)) {
      String remote = firstRemoteHost(url, MARIADB_PREFIX);
      String mode =
          parameters(url)
              .getOrDefault("sslMode", "disable")
              .toUpperCase(Locale.ROOT)
              .replace('-', '_');
      if (remote != null && !MARIADB_VERIFYING_MODES.contains(mode)) {
        throw new ConfigException(
            source
                + ": "
                + remote
                + " is not this machine, and sslMode="
                + mode.toLowerCase(Locale.ROOT).replace('_', '-')
                + (List.of("DISABLE", "DISABLED", "0", "FALSE").contains(mode)
                    ? " connects in plain text"
                    : " does not check the server's certificate")
                + "; "
                + TLS_RULE
                + ". Add sslMode=verify-full to the URL, and serverSslCert=<PEM file with the"
                + " server's CA> unless the JVM's trust store holds it");
      }
      return url;
    }
    if (url != null && url.startsWith(POSTGRES_PREFIX)) {
      return checkStore(url, source);
    }
    throw new ConfigException(
        source
            + " must be a PostgreSQL or MariaDB JDBC URL (jdbc:postgresql://host:port/database or"
            + " jdbc:mariadb://host:port/database), got "
            + (url == null ? "nothing" : withoutQuery(url)));
  }

  /**
   * The first server of the URL that is not this machine, or null when every one is. No host means
   * the driver's default, this machine; names are not resolved, so only {@code localhost} and
   * loopback addresses count as this machine.
   */
  static String firstRemoteHost(String url, String prefix) {
    String rest = url.substring(prefix.length());
    // MariaDB may put a mode before the hosts (jdbc:mariadb:replication://...); pgjdbc's
    // jdbc:postgresql:database has no hosts at all.
    Matcher hosts = HOSTS_START.matcher(rest);
    if (!hosts.lookingAt()) {
      return null;
    }
    String authority = rest.substring(hosts.end());
    int end = authority.length();
    for (char c : new char[] {'/', '?'}) {
      int at = authority.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    authority = authority.substring(0, end);
    for (String server : authority.split(",")) {
      String host = hostOf(server.trim());
      if (!host.isEmpty() && !Loopback.isLoopback(host)) {
        return host;
      }
    }
    return null;
  }

  private static String hostOf(String server) {
    int named = server.toLowerCase(Locale.ROOT).indexOf("host=");
    if (server.startsWith("address=") && named >= 0) {
      String host = server.substring(named + "host=".length());
      int close = host.indexOf(')');
      return close < 0 ? host : host.substring(0, close);
    }
    return Loopback.hostOf(server);
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
