package vn.ndc.sync.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import vn.ndc.sync.config.ConfigException;

/** Port checks done before any component starts, so a clash fails fast with a clear message. */
public final class Ports {

  private Ports() {}

  /** Returns a port that was free a moment ago (the OS may still hand it to someone else). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free TCP port", e);
    }
  }

  /** True if nothing listens on {@code port} on any local address. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // Reuse lets a port in TIME_WAIT from our own previous run count as free; a listening
      // socket still makes the bind fail.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Resolves a requested port: 0 picks a free one, anything else must be free.
   *
   * @param option the command-line option or setting the port came from, for the error message
   */
  public static int resolve(int port, String option) {
    if (port == 0) {
      return freePort();
    }
    requireFree(port, option);
    return port;
  }

  /** Throws a {@link ConfigException} naming {@code option} when {@code port} is taken. */
  public static void requireFree(int port, String option) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(
          "port "
              + port
              + " ("
              + option
              + ") is out of range; use 1-65535, or 0 to pick a free one");
    }
    if (!isFree(port)) {
      throw new ConfigException(
          "port "
              + port
              + " ("
              + option
              + ") is already in use; stop the process using it or pass "
              + option
              + " 0 to pick a free one");
    }
  }
}
