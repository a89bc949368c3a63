package vn.ndc.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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

  @Test
  void aRemoteMariaDbSourceWithoutVerifiedTlsIsAConfigurationError() throws Exception {
    Run run =
        verify(
            "--source",
            "civil-registry=jdbc:postgresql://localhost:1/civil_registry",
            "--source",
            "health-insurance=jdbc:mariadb://insurance:3306/health_insurance",
            "--source",
            "land-registry=jdbc:postgresql://localhost:1/land_registry");

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--source health-insurance: insurance is not this machine")
        .contains("sslMode=verify-full");
    assertThat(run.connected()).as("verify connected before refusing").isFalse();
  }

  @Test
  void aRemotePostgresSourceWithoutVerifiedTlsIsAConfigurationError() throws Exception {
    Run run =
        verify(
            "--source",
            "civil-registry=jdbc:postgresql://civil:5432/civil_registry?sslmode=require",
            "--source",
            "health-insurance=jdbc:mariadb://localhost:1/health_insurance",
            "--source",
            "land-registry=jdbc:postgresql://localhost:1/land_registry");

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--source civil-registry: civil is not this machine")
        .contains("sslmode=require does not check the server's certificate");
    assertThat(run.connected()).as("verify connected before refusing").isFalse();
  }
}
