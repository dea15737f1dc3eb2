package dev.sextant.ops;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embedded.FreePort;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Admin endpoints")
class AdminTest {

  private static Response admin(ApiClient api, String method, String path, String token) {
    HttpRequest.Builder b = api.request(path).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return api.send(b.build());
  }

  @Test
  @DisplayName("do not exist without a configured admin token")
  void absentWithoutToken() {
    try (TestServer server = TestServer.start()) {
      assertProblem(admin(server.client, "GET", "/api/v1/admin/performance", "anything"), 404);
      assertProblem(admin(server.client, "POST", "/api/v1/admin/cache/flush", "anything"), 404);
    }
  }

  @Test
  @DisplayName("report per-route latency, caches, pool, limits and breakers, and flush the cache, for the admin only")
  void performanceAndFlush() {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_ADMIN_TOKEN", "admin-secret-123",
        "SEXTANT_OPS_SLOW_REQUEST_MS", "0"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      api.get("/api/v1/traces", key);
      assertProblem(admin(api, "GET", "/api/v1/admin/performance", null), 401);
      assertProblem(admin(api, "GET", "/api/v1/admin/performance", "wrong"), 401);
      assertProblem(admin(api, "GET", "/api/v1/admin/performance", key), 401);

      Response r = admin(api, "GET", "/api/v1/admin/performance", "admin-secret-123");
      assertThat(r.status()).isEqualTo(200);
      var route = r.json().getJsonObject("routes").getJsonObject("GET /api/v1/traces");
      assertThat(route.getLong("count")).isEqualTo(1);
      assertThat(route.getDouble("p99_ms")).isPositive();
      assertThat(route.getLong("errors")).isZero();
      assertThat(r.json().getJsonArray("slow_requests")).isNotEmpty();
      assertThat(r.json().getJsonObject("circuit_breakers").getString("redis")).isEqualTo("CLOSED");
      assertThat(r.json().getJsonObject("cache").getJsonObject("hit_ratios").getMap()).containsKey("api_keys");
      assertThat(r.json().getJsonObject("pool").getMap()).isNotEmpty();
      assertThat(r.json().getJsonObject("rate_limit").getValue("rejected")).isNotNull();

      assertThat(admin(api, "POST", "/api/v1/admin/cache/flush", "admin-secret-123").status()).isEqualTo(204);
      assertProblem(admin(api, "POST", "/api/v1/admin/cache/flush", "wrong"), 401);
    }
  }

  @Test
  @DisplayName("answer a cache flush with 503 while Redis cannot be reached, and still report")
  void flushWithoutRedis() {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_ADMIN_TOKEN", "admin-secret-123",
        "REDIS_URL", "redis://127.0.0.1:" + FreePort.find()))) {
      Response flush = admin(server.client, "POST", "/api/v1/admin/cache/flush", "admin-secret-123");
      assertProblem(flush, 503);
      assertThat(admin(server.client, "GET", "/api/v1/admin/performance", "admin-secret-123").status())
          .isEqualTo(200);
    }
  }
}
