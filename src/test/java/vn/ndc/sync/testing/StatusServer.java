package vn.ndc.sync.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * An HTTP server on loopback whose every call under one path answers the status {@code
 * statusOfCall} gives the n-th call, with the body {@code bodyOfStatus} gives that status: how a
 * unit test makes a client meet the answers of a failing server.
 */
public final class StatusServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();

  public StatusServer(String path, IntUnaryOperator statusOfCall, IntFunction<String> bodyOfStatus)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        path,
        exchange -> {
          int status = statusOfCall.applyAsInt(calls.incrementAndGet());
          byte[] body = bodyOfStatus.apply(status).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Calls answered so far. */
  public int calls() {
    return calls.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
