package vn.ndc.sync.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;

/**
 * A small client of the registry's Confluent-compatible API: registers whole (self-contained) Avro
 * schemas under {@code <topic>-key|value} subjects and fetches schemas by id, exactly as a
 * Confluent client would.
 *
 * <p>Why not the Apicurio serde: it registers every nested named type as a separate artifact with
 * references, which plain Confluent clients without reference support cannot read.
 */
public final class SchemaRegistryClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long a refused connection or an HTTP 5xx is retried: a restart of the registry or of its
   * database shows as either until the registry's connection pool has recovered, and a capture that
   * gave up would stop for good.
   */
  public static final Duration RETRY_WINDOW = Duration.ofMinutes(3);

  private static final long FIRST_PAUSE_MS = 250;
  private static final long LONGEST_PAUSE_MS = 5_000;

  private final String ccompatUrl;
  private final Duration retryWindow;
  private final HttpClient http;

  /** A client of the registry at {@code url}: its root, v3 or ccompat URL. */
  public SchemaRegistryClient(String url) {
    this(url, RETRY_WINDOW, null);
  }

  /**
   * A client of the registry named in Apicurio-style serde settings ({@link
   * RegistrySerde#confluentWireFormat}): its URL and, for HTTPS with a private CA, the PEM file of
   * that CA.
   */
  public static SchemaRegistryClient of(java.util.Map<String, ?> serdeConfig) {
    Object truststore = serdeConfig.get(RegistrySerde.TRUSTSTORE);
    return new SchemaRegistryClient(
        String.valueOf(serdeConfig.get("apicurio.registry.url")),
        RETRY_WINDOW,
        truststore == null ? null : java.nio.file.Path.of(truststore.toString()));
  }

  /**
   * A client that retries transient failures for {@code retryWindow} and, when {@code
   * truststorePem} is not null, trusts only the CA certificates in that PEM file (host names are
   * checked as for any HTTPS request).
   */
  SchemaRegistryClient(String url, Duration retryWindow, java.nio.file.Path truststorePem) {
    this.ccompatUrl = RegistrySerde.ccompatUrl(url);
    this.retryWindow = retryWindow;
    this.http = PemTrust.httpClient(truststorePem);
  }

  /** The subject of a topic's keys or values (Confluent's topic-name strategy). */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  /**
   * Registers {@code schema} under {@code subject} (a no-op returning the existing id when the
   * registry holds it already) and returns its id.
   *
   * @throws IllegalStateException with the registry's message when the schema is refused, e.g. as
   *     incompatible with the subject's earlier versions
   */
  public int register(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schemaType", "AVRO");
    body.put("schema", schema.toString());
    JsonNode response = send("POST", "/subjects/" + encode(subject) + "/versions", body);
    return response.path("id").asInt();
  }

  /**
   * Sets the compatibility rule of one subject (e.g. NONE, BACKWARD_TRANSITIVE), overriding the
   * registry's global rule for it.
   */
  public void setCompatibility(String subject, String level) {
    ObjectNode body = JSON.createObjectNode();
    body.put("compatibility", level);
    send("PUT", "/config/" + encode(subject), body);
  }

  /**
   * Whether {@code schema} may be registered under {@code subject}; the messages say which field
   * and rule fail. A subject the registry does not hold yet accepts any schema.
   */
  public Compatibility checkCompatibility(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schemaType", "AVRO");
    body.put("schema", schema.toString());
    HttpResponse<String> response =
        exchange(
            "POST",
            "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
            body);
    if (response.statusCode() == 404) {
      return new Compatibility(true, java.util.List.of("subject not registered yet"));
    }
    JsonNode json = parse(response);
    java.util.List<String> messages = new java.util.ArrayList<>();
    json.path("messages").forEach(m -> messages.add(m.asText()));
    return new Compatibility(json.path("is_compatible").asBoolean(false), messages);
  }

  /** The outcome of a compatibility check. */
  public record Compatibility(boolean compatible, java.util.List<String> messages) {}

  /**
   * The schema registered with {@code id}. Schema references (which other writers, such as the
   * Apicurio serde, register for nested types) are resolved first, depth first.
   */
  public Schema schemaById(int id) {
    JsonNode response = send("GET", "/schemas/ids/" + id, null);
    Schema.Parser parser = new Schema.Parser();
    parseReferences(response.path("references"), parser, new java.util.HashSet<>());
    return parser.parse(response.path("schema").asText());
  }

  private void parseReferences(
      JsonNode references, Schema.Parser parser, java.util.Set<String> seen) {
    for (JsonNode reference : references) {
      String subject = reference.path("subject").asText();
      String version = reference.path("version").asText("latest");
      if (!seen.add(subject + "/" + version)) {
        continue;
      }
      JsonNode referenced =
          send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
      parseReferences(referenced.path("references"), parser, seen);
      if (!parser.getTypes().containsKey(reference.path("name").asText())) {
        parser.parse(referenced.path("schema").asText());
      }
    }
  }

  private JsonNode send(String method, String path, JsonNode body) {
    HttpResponse<String> response = null;
    long deadline = System.nanoTime() + retryWindow.toNanos();
    for (long pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
      boolean lastTry = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline;
      try {
        response = exchange(method, path, body);
        if (response.statusCode() / 100 != 5 || lastTry) {
          break;
        }
      } catch (IllegalStateException e) {
        if (lastTry || Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while calling the schema registry", e);
      }
    }
    if (response.statusCode() / 100 != 2) {
      throw new Refused(
          response.statusCode(),
          "registry refused "
              + method
              + " "
              + path
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    return parse(response);
  }

  private HttpResponse<String> exchange(String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(ccompatUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (javax.net.ssl.SSLException e) {
      // A certificate the client does not trust stays untrusted: fail now, do not retry.
      throw new java.io.UncheckedIOException(
          "schema registry at "
              + ccompatUrl
              + " failed TLS: "
              + e.getMessage()
              + "; check registry.ssl.truststore",
          e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "schema registry at " + ccompatUrl + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the schema registry", e);
    }
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("registry answered with invalid JSON: " + response.body(), e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The registry answered, with an HTTP status other than 2xx (after retrying any 5xx). */
  public static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The HTTP status of the registry's last answer. */
    public int status() {
      return status;
    }
  }
}
