package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.function.IntUnaryOperator;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.testing.StatusServer;

/** Transient registry failures (its database restarting) are waited out; refusals are not. */
class SchemaRegistryClientRetryTest {

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

  private StatusServer server;

  /** Serves the registration endpoint with the status {@code statusOfCall} gives the n-th call. */
  private String serve(IntUnaryOperator statusOfCall) throws IOException {
    server =
        new StatusServer(
            "/apis/ccompat/v7/subjects/",
            statusOfCall,
            status ->
                status == 200
                    ? "{\"id\":42}"
                    : "{\"message\":\"the database system is shutting down\",\"error_code\":"
                        + status
                        + "}");
    return server.url();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serverErrorsWhileTheRegistryDatabaseRestartsAreWaitedOut() throws IOException {
    String url = serve(n -> n <= 3 ? 500 : 200);
    int id =
        new SchemaRegistryClient(url, Duration.ofSeconds(30), null).register("t-value", SCHEMA);
    assertThat(id).isEqualTo(42);
    assertThat(server.calls()).isEqualTo(4);
  }

  @Test
  void aRefusalIsNotRetried() throws IOException {
    String url = serve(n -> 409);
    assertThatThrownBy(
            () ->
                new SchemaRegistryClient(url, Duration.ofSeconds(30), null)
                    .register("t-value", SCHEMA))
        .hasMessageContaining("HTTP 409");
    assertThat(server.calls()).isEqualTo(1);
  }

  @Test
  void serverErrorsOutlastingTheRetryWindowAreReported() throws IOException {
    String url = serve(n -> 503);
    assertThatThrownBy(
            () ->
                new SchemaRegistryClient(url, Duration.ofSeconds(2), null)
                    .register("t-value", SCHEMA))
        .hasMessageContaining("registry refused POST")
        .hasMessageContaining("HTTP 503");
    // It retried, and it stopped: the pauses (250, 500, 1,000, 2,000 ms) leave room for at most
    // five calls in the 2 s window however slow each call is; a slow machine only makes fewer.
    assertThat(server.calls()).isBetween(2, 5);
  }
}
