package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transient registry failures (its database restarting) are waited out; refusals are not. */
class SchemaRegistryClientRetryTest {

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer server;

  /** Serves the registration endpoint with the status {@code statusOfCall} gives the n-th call. */
  private String serve(IntUnaryOperator statusOfCall) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/apis/ccompat/v7/subjects/",
        exchange -> {
          int status = statusOfCall.applyAsInt(calls.incrementAndGet());
          byte[] body =
              (status == 200
                      ? "{\"id\":42}"
                      : "{\"message\":\"the database system is shutting down\",\"error_code\":"
                          + status
                          + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void serverErrorsWhileTheRegistryDatabaseRestartsAreWaitedOut() throws IOException {
    String url = serve(n -> n <= 3 ? 500 : 200);
    int id =
        new SchemaRegistryClient(url, Duration.ofSeconds(30), null).register("t-value", SCHEMA);
    assertThat(id).isEqualTo(42);
    assertThat(calls).hasValue(4);
  }

  @Test
  void aRefusalIsNotRetried() throws IOException {
    String url = serve(n -> 409);
    assertThatThrownBy(
            () ->
                new SchemaRegistryClient(url, Duration.ofSeconds(30), null)
                    .register("t-value", SCHEMA))
        .hasMessageContaining("HTTP 409");
    assertThat(calls).hasValue(1);
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
    assertThat(calls.get()).isBetween(2, 5);
  }
}
