package vn.ndc.sync.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server a killed {@code local} left behind. The embedded server is a child process,
 * so a SIGKILL of the JVM orphans it with the data directory locked, and the next start on the same
 * work dir would wait for a lock that never goes away.
 */
final class StalePostmaster {

  private StalePostmaster() {}

  /**
   * Stops the postmaster recorded in {@code dataDir/postmaster.pid} when its owner JVM is gone;
   * refuses to start when a live ndc-sync still owns it.
   */
  static void stopIfOrphaned(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    Optional<ProcessHandle> postmaster = postmaster(pidFile, dataDir);
    if (postmaster.isEmpty()) {
      return;
    }
    ProcessHandle server = postmaster.get();
    OrphanCheck.refuseIfOwned("PostgreSQL", server, dataDir);
    Path pgCtl = server.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl")).orElse(null);
    try {
      if (pgCtl != null && Files.isExecutable(pgCtl)) {
        // Fast shutdown: the orphan may still hold connections of the registry's child JVM.
        new ProcessBuilder(
                pgCtl.toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(70, TimeUnit.SECONDS);
      }
      if (server.isAlive()) {
        server.destroyForcibly();
        server.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (IOException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "cannot stop the PostgreSQL (pid " + server.pid() + ") left running on " + dataDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping a stale PostgreSQL", e);
    }
  }

  /** The live postmaster of {@code dataDir}. */
  static ProcessHandle postmasterOf(Path dataDir) {
    return postmaster(dataDir.resolve("postmaster.pid"), dataDir)
        .orElseThrow(() -> new IllegalStateException("no PostgreSQL running on " + dataDir));
  }

  /**
   * The command line the running server was started with, from {@code postmaster.opts}: the binary,
   * then each argument in double quotes.
   */
  static List<String> commandLine(Path dataDir) throws IOException {
    String opts = Files.readString(dataDir.resolve("postmaster.opts")).strip();
    List<String> command = new java.util.ArrayList<>();
    int quote = opts.indexOf('"');
    command.add((quote < 0 ? opts : opts.substring(0, quote)).strip());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(opts);
    while (m.find()) {
      command.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return command;
  }

  // postmaster.pid: line 1 the pid, line 2 the data directory.
  private static Optional<ProcessHandle> postmaster(Path pidFile, Path dataDir) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.size() < 2) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // Pids get reused: only a live postgres process counts.
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }
}
