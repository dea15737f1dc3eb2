package dev.sextant.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.RawHttp;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Authorization} headers no well-behaved client sends, over a bare socket (the JDK client
 * refuses most of them): every one is a 401 problem+json with {@code WWW-Authenticate: Bearer} on a
 * guarded route, never a 5xx, a dropped connection, or a way in.
 */
@ExtendWith(ServerExtension.class)
@DisplayName("Hostile credentials")
class HostileCredentialsTest {

  @Injected private static TestServer server;
  @ProjectKey private static String key;

  private static final List<String> GUARDED = List.of("GET /api/v1/project", "GET /api/v1/traces",
      "GET /api/v1/me", "GET /api/v1/projects", "GET /api/v1/datasets", "GET /api/v1/dashboard");

  /** Header lines (without CRLF) that carry no valid credential of any kind. */
  static List<String> hostileHeaders() {
    String valid = key;
    List<String> headers = new ArrayList<>(List.of(
        "Authorization: Bearer",
        "Authorization: Bearer ",
        "Authorization: Bearer\t" + "sxk_x",
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "Authorization: Bearer sxk_",
        "Authorization: Bearer sxs_",
        "Authorization: Bearer " + "sxk_" + "a".repeat(4_000), // within the header limit (beyond it: 431)
        "Authorization: Bearer " + "sxs_" + "a".repeat(252),
        "Authorization: Bearer " + valid.toUpperCase(),
        "Authorization: Bearer " + valid + " extra",
        "Authorization: Bearer " + valid + "x",
        "Authorization: Bearer " + valid.substring(0, valid.length() - 1),
        "Authorization: Bearer sxk_\u00ff\u00fe\u00e9",
        "Authorization: Bearer sxs_\u00c0\u0080",
        "Authorization: Bearer sxk_%00",
        "Authorization: Bearer sxk_'; DROP TABLE api_keys; --",
        "Authorization: Bearer null",
        "Authorization: Bearer undefined",
        "Authorization: Bearer Bearer " + valid,
        "Authorization: Token " + valid,
        "Authorization: " + valid,
        "X-Api-Key: " + valid));
    return headers;
  }

  @TestFactory
  @DisplayName("are each a 401 problem on every kind of guarded route")
  Stream<DynamicTest> hostileAuthorization() {
    RawHttp raw = new RawHttp(server.port());
    List<DynamicTest> tests = new ArrayList<>();
    int[] cases = {0};
    for (String route : GUARDED) {
      for (String header : hostileHeaders()) {
        String label = route + " with " + (header.length() > 60 ? header.substring(0, 60) + "…" : header);
        tests.add(DynamicTest.dynamicTest(label, () -> {
          cases[0]++;
          Response r = raw.send(route + " HTTP/1.1\nHost: localhost\n" + header);
          assertThat(r.status()).as(label + ": " + r.body()).isEqualTo(401);
          assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
          assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
          JsonObject problem = r.json();
          assertThat(problem.getInteger("status")).isEqualTo(401);
          // the credential sent is never echoed back
          assertThat(r.body()).doesNotContain(key);
        }));
      }
    }
    tests.add(DynamicTest.dynamicTest("count", () ->
        System.out.println("[credentials] " + cases[0] + " hostile Authorization cases ran")));
    return tests.stream();
  }
}
