package dev.sextant.http;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.RawHttp;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Every response")
class ProblemResponsesTest {

  @RegisterExtension
  static final ServerExtension extension =
      ServerExtension.withEnv(Map.of("SEXTANT_HTTP_BODY_LIMIT_BYTES", "4096"));

  @Injected private static TestServer server;
  @Injected private static ApiClient api;
  private static RawHttp raw;

  @BeforeAll
  static void connectRaw() {
    raw = new RawHttp(server.port());
  }

  @Test
  @DisplayName("carries X-Request-ID and X-Process-Time, success or error")
  void tracingHeaders() {
    for (Response r : new Response[] {
        api.get("/health/live", null), api.get("/nowhere", null), api.get("/api/v1/me", null)}) {
      assertThat(r.header("X-Request-ID")).isNotBlank();
      assertThat(r.header("X-Process-Time")).matches("\\d+\\.\\d{2}");
    }
  }

  @Test
  @DisplayName("echoes a well-formed incoming X-Request-ID and replaces a malformed one")
  void requestIdEcho() {
    Response echoed = api.send(api.request("/health/live").header("X-Request-ID", "abc.DEF-123_x").build());
    assertThat(echoed.header("X-Request-ID")).isEqualTo("abc.DEF-123_x");
    Response replaced = api.send(api.request("/health/live").header("X-Request-ID", "bad id!").build());
    assertThat(replaced.header("X-Request-ID")).isNotEqualTo("bad id!").matches("[A-Za-z0-9._-]+");
  }

  @Test
  @DisplayName("answers an unknown route with a 404 problem")
  void unknownRoute() {
    assertProblem(api.get("/api/v1/no-such-thing", null), 404);
  }

  @Test
  @DisplayName("answers a wrong method with a 405 problem naming the methods the path takes in Allow")
  void wrongMethod() {
    Response delete = api.delete("/api/v1/auth/login", null);
    assertProblem(delete, 405);
    assertThat(delete.header("Allow")).isEqualTo("POST");
    String key = api.newProjectKey();
    Response put = api.send(api.request("/api/v1/traces/some-trace").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertProblem(put, 405);
    assertThat(put.header("Allow")).isEqualTo("DELETE, GET, HEAD");
  }

  @Test
  @DisplayName("answers malformed JSON with a 400 problem")
  void malformedJson() {
    Response r = api.send(api.request("/api/v1/auth/signup").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\": ")).build());
    assertProblem(r, 400);
  }

  @Test
  @DisplayName("answers a JSON body that is not an object with a 400 problem")
  void notAnObject() {
    assertProblem(api.post("/api/v1/auth/signup", null, "[1,2,3]"), 400);
  }

  @Test
  @DisplayName("answers a body nested deeper than 1000 levels with a 400 naming the body")
  void deepNesting() {
    String deep = "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
    Response r = api.post("/api/v1/auth/signup", null, deep);
    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("body");
  }

  @Test
  @DisplayName("answers a wrong Content-Type with a 415 problem")
  void wrongContentType() {
    Response r = api.send(api.request("/api/v1/auth/signup").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertProblem(r, 415);
  }

  @Test
  @DisplayName("answers a body over the limit with a 413 problem")
  void bodyTooLarge() {
    String big = new JsonObject().put("email", "x".repeat(10_000)).encode();
    assertProblem(api.post("/api/v1/auth/signup", null, big), 413);
  }

  @Test
  @DisplayName("accepts a gzip-compressed request body")
  void gzipRequestBody() throws Exception {
    byte[] json = new JsonObject().put("email", "gz-" + System.nanoTime() + "@example.com")
        .put("password", "long enough pw").put("name", "Gzip").encode().getBytes();
    var bytes = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(json);
    }
    Response r = api.send(api.request("/api/v1/auth/signup")
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @Test
  @DisplayName("answers a path with bad percent-encoding with a 400 problem, with or without credentials")
  void badPercentEncoding() {
    for (String line : new String[] {
        "GET /api/v1/nope%zz HTTP/1.1", "GET /api/v1/traces/t1% HTTP/1.1",
        "GET /api/v1/traces/% HTTP/1.1", "GET /v1/traces%zz HTTP/1.1"}) {
      Response r = raw.send(line + "\nHost: localhost\nAuthorization: Bearer sxk_whatever");
      assertProblem(r, 400);
      assertThat(r.header("X-Process-Time")).matches("\\d+\\.\\d{2}");
    }
    byte[] batch = "{\"batch\":[]}".getBytes();
    assertProblem(raw.send("POST /api/v1/ingest% HTTP/1.1\nHost: localhost\n"
        + "Content-Type: application/json\nContent-Length: " + batch.length, batch), 400);
  }

  @Test
  @DisplayName("answers a request the router refuses before any handler ran (no Host) with the usual headers")
  void refusedBeforeHandlers() {
    Response r = raw.send("GET /health/live HTTP/1.1");
    assertProblem(r, 400);
    assertThat(r.header("X-Request-ID")).isNotBlank();
    assertThat(r.header("X-Process-Time")).matches("\\d+\\.\\d{2}");
  }

  @Test
  @DisplayName("to HEAD is the GET answer without its body, and HEAD is refused where GET is")
  void headAsGet() {
    String key = api.newProjectKey();
    for (String path : new String[] {"/health/live", "/api/v1/traces?limit=5", "/api/v1/no-such-thing"}) {
      Response get = api.get(path, key);
      Response head = api.send(api.request(path).header("Authorization", "Bearer " + key)
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(head.status()).as(path).isEqualTo(get.status());
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
      assertThat(head.header("X-Request-ID")).isNotBlank();
      assertThat(head.header("X-Process-Time")).matches("\\d+\\.\\d{2}");
      assertThat(head.bytes()).as(path).isEmpty();
    }
    Response post = api.send(api.request("/api/v1/ingest").header("Authorization", "Bearer " + key)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(post.status()).isEqualTo(405);
  }

  @Test
  @DisplayName("to a request the HTTP codec refuses is a problem with the usual headers: 414, 431, 400")
  void codecRejections() {
    Map<String, Integer> cases = Map.of(
        "GET /api/v1/traces?name=" + "n".repeat(10_000) + " HTTP/1.1\nHost: localhost", 414,
        "GET /health/live HTTP/1.1\nHost: localhost\nX-Big: " + "b".repeat(10_000), 431,
        "POST /api/v1/auth/login HTTP/1.1\nHost: localhost\nContent-Length: 2\nContent-Length: 3", 400,
        "THIS IS NOT HTTP", 400);
    cases.forEach((head, status) -> {
      Response r = raw.send(head);
      assertProblem(r, status);
      assertThat(r.header("X-Process-Time")).matches("\\d+\\.\\d{2}");
    });
  }
}
