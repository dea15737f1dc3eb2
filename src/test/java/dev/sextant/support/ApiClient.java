package dev.sextant.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * A plain HTTP client (the JDK's), so tests see exactly what any client would. Every answer is
 * held against {@code docs/openapi.yaml} ({@link OpenApi}): an undocumented status or a body that
 * does not match its schema fails the test that received it.
 */
public final class ApiClient {

  /** A response: status, headers and body as received. */
  public record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {

    public String body() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return new JsonObject(body());
    }

    public JsonArray data() {
      return json().getJsonArray("data");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  public ApiClient(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      Response response = new Response(r.statusCode(), r.headers(), r.body());
      try {
        OpenApi.document().check(request.method(), request.uri().getRawPath(), response.status(),
            response.header("Content-Type"), decoded(response));
      } catch (AssertionError undocumented) {
        String body = response.body();
        throw new AssertionError(undocumented.getMessage() + " (the answer: "
            + body.substring(0, Math.min(300, body.length())) + ")", undocumented);
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] decoded(Response response) throws IOException {
    if (!"gzip".equalsIgnoreCase(response.header("Content-Encoding"))) {
      return response.bytes();
    }
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(response.bytes()))) {
      return in.readAllBytes();
    }
  }

  public Response get(String path, String token) {
    return send(authorized(request(path), token).GET().build());
  }

  public Response delete(String path, String token) {
    return send(authorized(request(path), token).DELETE().build());
  }

  public Response post(String path, String token, Object json) {
    HttpRequest.Builder b = authorized(request(path), token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json.toString()));
    return send(b.build());
  }

  public Response put(String path, String token, Object json) {
    HttpRequest.Builder b = authorized(request(path), token)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json == null ? "" : json.toString()));
    return send(b.build());
  }

  /** A GET with extra request headers, given as name, value, name, value, … */
  public Response get(String path, String token, String... headers) {
    HttpRequest.Builder b = authorized(request(path), token);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.GET().build());
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b, String token) {
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  // ---- the control-plane steps most tests start with ----

  /** Signs a new person up and logs them in; the session token. */
  public String newSession() {
    String email = "user-" + UUID.randomUUID() + "@example.com";
    String password = "correct horse battery";
    Response signup = post("/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", password).put("name", "Test User"));
    check(signup, 201);
    Response login = post("/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", password));
    check(login, 200);
    return login.json().getString("token");
  }

  public String newProject(String session, String name) {
    Response r = post("/api/v1/projects", session, new JsonObject().put("name", name));
    check(r, 201);
    return r.json().getString("id");
  }

  public String newApiKey(String session, String projectId) {
    Response r = post("/api/v1/projects/" + projectId + "/api-keys", session,
        new JsonObject().put("name", "test key"));
    check(r, 201);
    return r.json().getString("key");
  }

  /** A fresh person, project and API key; the key. */
  public String newProjectKey() {
    String session = newSession();
    return newApiKey(session, newProject(session, "project " + UUID.randomUUID()));
  }

  private static void check(Response r, int expected) {
    if (r.status() != expected) {
      throw new AssertionError("expected " + expected + " but got " + r.status() + ": " + r.body());
    }
  }
}
