package vn.ndc.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import vn.ndc.sync.testing.TestConnectors;

/**
 * Bad configuration stops `local` with one line that names the problem and the fix: no stack trace,
 * exit code 2, and nothing left running.
 */
class LocalConfigErrorsIT {

  private static final Path PROJECT = Path.of(System.getProperty("ndc.project.dir", "."));

  private record Run(int exitCode, String err) {}

  private static Run local(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = NdcSync.commandLine();
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "local";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cli.execute(all);
    return new Run(code, err.toString());
  }

  /** A copy of the project's connectors folder that a test may break. */
  private static Path connectorsCopy(Path dir) {
    return TestConnectors.only(dir, "civil-registry");
  }

  private static String[] withDefaults(Path dir, Path connectors, String... more) {
    String[] base = {
      "--work-dir", dir.resolve("work").toString(),
      "--connectors", connectors.toString(),
      "--job-config", PROJECT.resolve("jobs/person-sync.yaml").toString(),
      "--flink-ui-port", "0"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void aMissingConnectorFileIsNamed(@TempDir Path dir) throws Exception {
    Path connectors = connectorsCopy(dir);
    Path file = connectors.resolve("civil-registry/connector.properties");
    Files.delete(file);

    Run run = local(withDefaults(dir, connectors));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("error: connector config not found: ")
        .contains("civil-registry")
        .contains("needs a connector.properties")
        .doesNotContain("\tat ");
  }

  @Test
  void anUnknownColumnInTheMappingIsNamedWithTheFix(@TempDir Path dir) throws Exception {
    Path connectors = connectorsCopy(dir);
    Path mapping = connectors.resolve("civil-registry/mapping.yaml");
    Files.writeString(
        mapping, Files.readString(mapping).replace("column: ho_ten,", "column: ho_tenn,"));

    Run run = local(withDefaults(dir, connectors));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("error: ")
        .contains("ho_tenn")
        .contains("public.nhan_khau")
        .doesNotContain("\tat ");
  }

  @Test
  void aPortInUseIsNamedWithItsFlag(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run =
          local(
              withDefaults(
                  dir,
                  PROJECT.resolve("connectors"),
                  "--kafka-port",
                  String.valueOf(taken.getLocalPort())));

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .startsWith("error: port " + taken.getLocalPort() + " (--kafka-port) is already in use")
          .contains("--kafka-port 0")
          .doesNotContain("\tat ");
    }
  }
}
