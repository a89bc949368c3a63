package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.testing.TestConnectors;

/**
 * `ndc-sync local` as a real process, SIGKILLed at random points (while its components start, while
 * the load commits, while the pipeline catches up on earlier runs' changes) and started again on
 * the same work dir each time: the last run must finish synced, leave no process behind, and
 * `ndc-sync verify` must then find nothing missing, extra or different. A PostgreSQL agency
 * (versions are LSNs) and a MariaDB agency (the load's 200-change transactions are killed midway,
 * so the binlog capture resumes from its last transaction boundary, see ResumePoint). {@code
 * ndc.kills} kills (3 by default, 50 under {@code -Psoak}).
 */
class KillAndRestartIT {

  private static Path connectors;

  private static final Path PROJECT = Path.of(System.getProperty("ndc.project.dir", "."));
  private static final Path JAR = PROJECT.resolve("target/ndc-sync.jar");

  /** Lines `local` prints on its way up; a kill lands a random time after one of them. */
  private static final List<String> MILESTONES =
      List.of("starting Kafka", "starting schema registry", "starting capture", "load: making");

  @Test
  void killedAtRandomPointsThenRestartedEndsSyncedAndVerified() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "needs target/ndc-sync.jar (run after package)");
    int kills = Integer.getInteger("ndc.kills", 3);
    int rows = 1000;
    Path work = Files.createTempDirectory(PROJECT.resolve("target"), "kill-restart-");
    Path workDir = work.resolve("w");
    connectors = TestConnectors.only(work, "civil-registry", "health-insurance");
    Random random = new Random();
    try {
      for (int kill = 1; kill <= kills; kill++) {
        Path log = work.resolve("run-" + kill + ".out");
        // The first and the last kill land while the load commits; the others anywhere, which
        // after the first kill is still while earlier changes stream through the pipeline.
        String milestone =
            kill == 1 || kill == kills
                ? "load: making"
                : MILESTONES.get(random.nextInt(MILESTONES.size()));
        // A new seed per run: the demo load would otherwise insert the same personal IDs again.
        Process local =
            start(
                log,
                "local",
                "--rows",
                String.valueOf(rows),
                "--seed",
                String.valueOf(1000 + kill),
                "--until-synced",
                "--timeout",
                "PT4M",
                "--work-dir",
                workDir.toString());
        awaitLine(local, log, milestone, 240);
        Thread.sleep(random.nextInt(3000));
        local.destroyForcibly();
        assertThat(local.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.printf(
            "KillAndRestartIT: kill %d/%d after '%s' (last line: %s)%n",
            kill, kills, milestone, lastLine(log));
      }

      Path log = work.resolve("restart.out");
      Process restart =
          start(
              log,
              "local",
              "--until-synced",
              "--timeout",
              "PT4M",
              "--work-dir",
              workDir.toString());
      assertThat(restart.waitFor(6, TimeUnit.MINUTES)).as("restart finished").isTrue();
      assertThat(restart.exitValue()).as(Files.readString(log)).isZero();
      JsonNode summary = new ObjectMapper().readTree(lastLine(log));
      System.out.println("KillAndRestartIT: restart summary " + summary);
      assertThat(summary.get("ndc_rows").asLong()).isEqualTo(summary.get("source_rows").asLong());
      assertThat(summary.get("source_rows").asLong()).isPositive();
      assertThat(processesUsing(workDir))
          .as("servers orphaned by the kills were reclaimed, the last run stopped its own")
          .isEmpty();

      Path verifyLog = work.resolve("verify.out");
      Process verify = start(verifyLog, "verify", "--local", "--work-dir", workDir.toString());
      assertThat(verify.waitFor(3, TimeUnit.MINUTES)).isTrue();
      String report = Files.readString(verifyLog);
      System.out.println(report);
      assertThat(verify.exitValue()).as(report).isZero();
      assertThat(report)
          .contains("source civil-registry", "source health-insurance")
          .doesNotContain("MISMATCH");
    } finally {
      // A failed run may leave servers behind: stop what this test started, by pid.
      processesUsing(workDir).forEach(ProcessHandle::destroyForcibly);
      deleteRecursively(work);
    }
  }

  /** Live processes whose command line names {@code dir} (servers of a `local` on it). */
  private static List<ProcessHandle> processesUsing(Path dir) {
    String path = dir.toAbsolutePath().toString();
    return OrphanCheck.withArgument(arg -> arg.contains(path));
  }

  private static Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vn.ndc.sync.avro");
    command.add("--add-opens=java.base/java.util=ALL-UNNAMED");
    command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    command.add("-Dndc.log.file=" + log.resolveSibling("ndc-sync.log"));
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    command.add("--connectors");
    command.add(connectors.toString());
    if (args[0].equals("local")) {
      command.add("--job-config");
      command.add(PROJECT.resolve("jobs/person-sync.yaml").toString());
      command.add("--flink-ui-port");
      command.add("0");
    }
    return new ProcessBuilder(command)
        .directory(PROJECT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void awaitLine(Process p, Path log, String text, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("local exited early:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new AssertionError(
        "no '" + text + "' within " + seconds + " s:\n" + Files.readString(log));
  }

  private static String lastLine(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Leftovers live under target/ and go with the next clean.
    }
  }
}
