package vn.ndc.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * verify refuses, before it connects anywhere, a remote agency or store URL without verified TLS.
 */
class VerifyTlsTest {

  private record Run(int code, String err, boolean connected) {}

  // A listener on this machine stands in for the store: a verify that got past its checks would
  // connect to it first.
  private static Run verify(String... sourceArgs) throws Exception {
    try (ServerSocket store = new ServerSocket(0)) {
      // Closed at once, so that a verify that connects fails fast instead of waiting for a reply.
      CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> acceptAndClose(store));
      StringWriter err = new StringWriter();
      CommandLine cli = NdcSync.commandLine();
      cli.setErr(new PrintWriter(err));
      String[] args = new String[sourceArgs.length + 5];
      args[0] = "verify";
      args[1] = "--connectors";
      args[2] = "connectors";
      args[3] = "--store";
      args[4] = "jdbc:postgresql://localhost:" + store.getLocalPort() + "/ndc";
      System.arraycopy(sourceArgs, 0, args, 5, sourceArgs.length);
      int code = cli.execute(args);
      boolean connected;
      try {
        accepted.get(200, TimeUnit.MILLISECONDS);
        connected = true;
      } catch (java.util.concurrent.TimeoutException e) {
        connected = false;
      }
      return new Run(code, err.toString(), connected);
    }
  }

  private static void acceptAndClose(ServerSocket s) {
    try (Socket ignored = s.accept()) {
      // nothing to say
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // Each case: the civil-registry, health-insurance and land-registry URLs, one of them remote
  // without verified TLS, and what the error must say.
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "jdbc:postgresql://localhost:1/civil_registry;"
            + " jdbc:mariadb://insurance:3306/health_insurance;"
            + " jdbc:postgresql://localhost:1/land_registry;"
            + " --source health-insurance: insurance is not this machine; sslMode=verify-full",
        "jdbc:postgresql://civil:5432/civil_registry?sslmode=require;"
            + " jdbc:mariadb://localhost:1/health_insurance;"
            + " jdbc:postgresql://localhost:1/land_registry;"
            + " --source civil-registry: civil is not this machine;"
            + " sslmode=require does not check the server's certificate"
      })
  void aRemoteSourceWithoutVerifiedTlsIsAConfigurationError(
      String civil, String insurance, String land, String names, String fix) throws Exception {
    Run run =
        verify(
            "--source",
            "civil-registry=" + civil,
            "--source",
            "health-insurance=" + insurance,
            "--source",
            "land-registry=" + land);

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(names).contains(fix);
    assertThat(run.connected()).as("verify connected before refusing").isFalse();
  }
}
