package vn.ndc.sync.config;

import java.util.Locale;

/** Whether a server named in a URL or address list is this machine, without resolving names. */
final class Loopback {

  private Loopback() {}

  /**
   * True for {@code localhost} and loopback addresses (with or without IPv6 brackets). Other names
   * are not resolved: a name that happens to point here still counts as another machine.
   */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /**
   * The host of {@code host:port}, {@code [v6]:port}, a bare host, or any of them after {@code
   * scheme://}.
   */
  static String hostOf(String server) {
    String s = server.trim();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      return close < 0 ? s : s.substring(1, close);
    }
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
