package vn.ndc.sync.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * Asks a schema registry, through its Confluent-compatible API (Apicurio's ccompat v7), whether a
 * schema is compatible with what a subject holds under the registry's compatibility rule.
 */
public final class RegistryCompatibility {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final String ccompat;
  private final String v3;
  private final HttpClient http;

  /**
   * @param registryUrl the registry's base URL, or its ccompat or v3 API URL
   */
  public RegistryCompatibility(String registryUrl) {
    this(registryUrl, null);
  }

  /**
   * @param registryUrl the registry's base URL, or its ccompat or v3 API URL
   * @param caPem for an HTTPS registry with a private CA, the PEM file of that CA; null trusts the
   *     JVM's CAs
   */
  public RegistryCompatibility(String registryUrl, java.nio.file.Path caPem) {
    this.http = vn.ndc.sync.deliver.PemTrust.httpClient(caPem);
    String base = registryUrl.strip().replaceAll("/+$", "");
    int apis = base.indexOf("/apis/");
    if (apis >= 0) {
      base = base.substring(0, apis);
    }
    this.ccompat = base + "/apis/ccompat/v7";
    this.v3 = base + "/apis/registry/v3";
  }

  /** What the registry answered for one subject. */
  public record Verdict(Outcome outcome, String level, List<String> messages) {}

  /** Compatible, incompatible, or nothing registered yet under the subject. */
  public enum Outcome {
    COMPATIBLE,
    INCOMPATIBLE,
    NEW_SUBJECT
  }

  /**
   * Checks {@code schema} against the latest version of {@code subject}, with the registry's
   * messages (which name the offending field and the kind of change) when it is incompatible.
   *
   * @throws IOException when the registry cannot be reached or answers with an error
   */
  public Verdict check(String subject, Schema schema) throws IOException {
    String level = compatibilityLevel(subject);
    // Apicurio answers "compatible" for a subject it does not hold: ask first whether it does.
    HttpResponse<String> versions =
        send(
            HttpRequest.newBuilder(
                    URI.create(ccompat + "/subjects/" + encode(subject) + "/versions"))
                .build());
    if (versions.statusCode() == 404) {
      return new Verdict(Outcome.NEW_SUBJECT, level, List.of());
    }
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        ccompat
                            + "/compatibility/subjects/"
                            + encode(subject)
                            + "/versions/latest?verbose=true"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(body(schema))
                .build());
    if (response.statusCode() == 404) {
      return new Verdict(Outcome.NEW_SUBJECT, level, List.of());
    }
    JsonNode answer = answer(response, "compatibility of " + subject);
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(m -> messages.add(m.asText()));
    boolean compatible = answer.path("is_compatible").asBoolean(false);
    if (!compatible && messages.isEmpty()) {
      messages.addAll(ruleViolations(subject, schema));
    }
    return new Verdict(
        compatible ? Outcome.COMPATIBLE : Outcome.INCOMPATIBLE, level, annotate(messages, schema));
  }

  /**
   * The causes the registry gives when it refuses a version: Apicurio's ccompat endpoint answers
   * without them, so a dry-run registration through the v3 API (nothing is stored) asks again.
   * ccompat subjects are artifacts of group "default".
   */
  private List<String> ruleViolations(String subject, Schema schema) throws IOException {
    String content =
        JSON.writeValueAsString(
            Map.of(
                "content",
                Map.of("content", schema.toString(), "contentType", "application/json")));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        v3
                            + "/groups/default/artifacts/"
                            + encode(subject)
                            + "/versions?dryRun=true"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(content))
                .build());
    List<String> causes = new ArrayList<>();
    if (response.statusCode() / 100 == 2) {
      return causes;
    }
    JsonNode problem;
    try {
      problem = JSON.readTree(response.body());
    } catch (IOException e) {
      return List.of(response.body());
    }
    for (JsonNode cause : problem.path("causes")) {
      String context = cause.path("context").asText("");
      causes.add(cause.path("description").asText() + (context.isEmpty() ? "" : " at " + context));
    }
    if (causes.isEmpty() && problem.hasNonNull("detail")) {
      causes.add(problem.get("detail").asText());
    }
    return causes;
  }

  private static final Pattern FIELD_PATH = Pattern.compile("/fields/(\\d+)");

  /** Names the field a message's location points at (/fields/4 → field dateOfBirth). */
  static List<String> annotate(List<String> messages, Schema schema) {
    List<String> out = new ArrayList<>();
    for (String message : messages) {
      Matcher m = FIELD_PATH.matcher(message);
      int index = m.find() ? Integer.parseInt(m.group(1)) : -1;
      boolean named =
          schema.getType() == Schema.Type.RECORD && index >= 0 && index < schema.getFields().size();
      out.add(named ? message + " (field " + schema.getFields().get(index).name() + ")" : message);
    }
    return out;
  }

  /**
   * Registers {@code schema} under {@code subject}; returns its id.
   *
   * @throws IOException with the registry's reason when it refuses the schema (e.g. 409
   *     incompatible)
   */
  public int register(String subject, Schema schema) throws IOException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(ccompat + "/subjects/" + encode(subject) + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(body(schema))
                .build());
    return answer(response, "registration under " + subject).path("id").asInt();
  }

  /** The subject's compatibility level, else the registry's global one. */
  public String compatibilityLevel(String subject) throws IOException {
    HttpResponse<String> own =
        send(HttpRequest.newBuilder(URI.create(ccompat + "/config/" + encode(subject))).build());
    if (own.statusCode() == 200) {
      String level = JSON.readTree(own.body()).path("compatibilityLevel").asText("");
      if (!level.isEmpty()) {
        return level;
      }
    }
    HttpResponse<String> global =
        send(HttpRequest.newBuilder(URI.create(ccompat + "/config")).build());
    return answer(global, "global compatibility level").path("compatibilityLevel").asText("NONE");
  }

  private HttpRequest.BodyPublisher body(Schema schema) throws IOException {
    return HttpRequest.BodyPublishers.ofString(
        JSON.writeValueAsString(Map.of("schema", schema.toString(), "schemaType", "AVRO")));
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + request.uri(), e);
    } catch (IOException e) {
      throw new IOException("cannot reach the registry at " + request.uri() + " (" + e + ")", e);
    }
  }

  private static JsonNode answer(HttpResponse<String> response, String what) throws IOException {
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          what + ": the registry answered " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }
}
