package vn.ndc.sync.local;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import vn.ndc.sync.config.ConfigException;

/** Tells a server orphaned by a killed `local` from one a live ndc-sync still owns. */
final class OrphanCheck {

  private OrphanCheck() {}

  /**
   * Fails when {@code server}'s parent is a live JVM: another ndc-sync uses {@code dataDir}, and
   * stopping its server would break it.
   */
  static void refuseIfOwned(String kind, ProcessHandle server, Path dataDir) {
    Optional<ProcessHandle> parent = server.parent().filter(ProcessHandle::isAlive);
    boolean ownedByJava =
        parent.flatMap(p -> p.info().command()).map(c -> c.contains("java")).orElse(false);
    if (ownedByJava) {
      throw new ConfigException(
          kind
              + " (pid "
              + server.pid()
              + ") of another running ndc-sync (pid "
              + parent.get().pid()
              + ") uses "
              + dataDir
              + "; stop it or use another --work-dir");
    }
  }

  /** Live processes with an argument on their command line that {@code matches} accepts. */
  static List<ProcessHandle> withArgument(Predicate<String> matches) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p -> p.info().arguments().map(a -> Arrays.stream(a).anyMatch(matches)).orElse(false))
        .toList();
  }
}
