package vn.ndc.sync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** GETs of JSON from the embedded components' REST APIs (Flink, the registry), for tests. */
public final class HttpJson {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpJson() {}

  /**
   * The JSON body of a GET of {@code url}.
   *
   * @throws AssertionError when the answer is not 200, with its status and body
   */
  public static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + url + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
