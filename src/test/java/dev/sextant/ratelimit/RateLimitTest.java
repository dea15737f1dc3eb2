package dev.sextant.ratelimit;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rate limiting")
class RateLimitTest {

  private static Response project(ApiClient api, String key) {
    return api.get("/api/v1/project", key);
  }

  @Test
  @DisplayName("lets exactly N requests through per key and window, then answers 429 with the headers")
  void exactLimit() {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "5"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Response r = project(api, key);
        statuses.add(r.status());
        assertThat(r.header("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(4 - i));
        assertThat(Long.parseLong(r.header("X-RateLimit-Reset"))).isBetween(1L, 60L);
      }
      assertThat(statuses).containsOnly(200);
      Response limited = project(api, key);
      assertProblem(limited, 429);
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
      assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
      // another key has its own window
      assertThat(project(api, api.newProjectKey()).status()).isEqualTo(200);
      // health and metrics are never limited
      for (int i = 0; i < 10; i++) {
        Response health = api.get("/health/live", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("X-RateLimit-Limit")).isNull();
      }
      assertThat(api.get("/metrics", null).body()).contains("sextant_ratelimit_rejected_total");
    }
  }

  @Test
  @DisplayName("stays exact under concurrent requests of one key, decided together in batches")
  void exactUnderConcurrency() throws Exception {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "20"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        calls.add(http.sendAsync(api.request("/api/v1/project").header("Authorization", "Bearer " + key)
            .GET().build(), HttpResponse.BodyHandlers.discarding()));
      }
      List<Integer> remaining = new ArrayList<>();
      int limited = 0;
      for (CompletableFuture<HttpResponse<Void>> call : calls) {
        HttpResponse<Void> r = call.get(30, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          remaining.add(Integer.parseInt(r.headers().firstValue("X-RateLimit-Remaining").orElseThrow()));
        } else {
          assertThat(r.statusCode()).isEqualTo(429);
          assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
          limited++;
        }
      }
      assertThat(limited).isEqualTo(40);
      // each admitted request took its own slot: 19, 18, … 0, each once
      assertThat(remaining).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, 20).boxed().toList());
    }
  }

  @Test
  @DisplayName("admits from headroom far from the limit, counts every such request in Redis, and is exact near the limit")
  void headroom() {
    String prefix = "rlh" + java.util.UUID.randomUUID().toString().substring(0, 8) + ":";
    try (TestServer a = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "400",
        "SEXTANT_REDIS_KEY_PREFIX", prefix));
        TestServer b = a.sibling()) {
      String key = a.client.newProjectKey();
      // one server, one connection: the remaining count is exact either way
      for (int i = 0; i < 150; i++) {
        assertThat(project(a.client, key).header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(399 - i));
      }
      assertThat(a.client.get("/metrics", null).body()).contains("backend=\"headroom\"");
      // every request admitted from headroom reaches the log in Redis
      Await.until(Duration.ofSeconds(5), () -> logSize(prefix) == 150, "150 requests in the Redis log");
      // the other instance counts them, and together the two admit exactly the limit
      int admitted = 150;
      for (int i = 0; i < 300; i++) {
        if (project(i % 2 == 0 ? b.client : a.client, key).status() == 200) {
          admitted++;
        }
      }
      assertThat(admitted).isEqualTo(400);
    }
  }

  /** Requests counted by the one rate-limit log under {@code prefix}. */
  private static long logSize(String prefix) {
    return withRedis(redis -> {
      String total = totalKey(redis, prefix);
      String log = total.substring(0, total.length() - 2);
      // the total kept beside the log is the sum of its entries' counts
      long counted = 0;
      for (var entry : redis.send(Request.cmd(Command.ZRANGE).arg(log).arg(0).arg(-1)).await()) {
        String member = entry.toString();
        counted += Long.parseLong(member.substring(member.lastIndexOf(':') + 1));
      }
      assertThat(redis.send(Request.cmd(Command.GET).arg(total)).await().toLong()).isEqualTo(counted);
      return counted;
    });
  }

  /** The key of the total beside the one API-key log under {@code prefix}. */
  private static String totalKey(Redis redis, String prefix) {
    var totals = redis.send(Request.cmd(Command.KEYS).arg(prefix + "rl2:default:key:*:n")).await();
    assertThat(totals.size()).isEqualTo(1);
    return totals.get(0).toString();
  }

  /** Runs {@code action} with a Redis client of its own, beside the server's. */
  private static <T> T withRedis(java.util.function.Function<Redis, T> action) {
    Vertx vertx = Vertx.vertx();
    try {
      return action.apply(Redis.createClient(vertx, TestInfra.redisUrl()));
    } finally {
      vertx.close().await();
    }
  }


  @Test
  @DisplayName("rebuilds the count from the log when the total kept beside it is lost")
  void totalLost() {
    String prefix = "rlt" + java.util.UUID.randomUUID().toString().substring(0, 8) + ":";
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "5",
        "SEXTANT_REDIS_KEY_PREFIX", prefix))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      for (int i = 0; i < 3; i++) {
        assertThat(project(api, key).status()).isEqualTo(200);
      }
      withRedis(redis -> redis.send(Request.cmd(Command.DEL).arg(totalKey(redis, prefix))).await());
      assertThat(project(api, key).header("X-RateLimit-Remaining")).isEqualTo("1");
      assertThat(project(api, key).status()).isEqualTo(200);
      assertProblem(project(api, key), 429);
      assertThat(logSize(prefix)).isEqualTo(5);
    }
  }

  @Test
  @DisplayName("keeps the limit in Redis after Redis forgets the limiter's script")
  void afterScriptFlush() {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "3"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      assertThat(project(api, key).status()).isEqualTo(200);
      withRedis(redis -> redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await());
      assertThat(project(api, key).header("X-RateLimit-Remaining")).isEqualTo("1");
      assertThat(project(api, key).status()).isEqualTo(200);
      assertProblem(project(api, key), 429);
      assertThat(api.get("/metrics", null).body())
          .contains("backend=\"redis\"").doesNotContain("backend=\"local\"");
    }
  }

  @Test
  @DisplayName("holds one limit across two instances")
  void sharedAcrossInstances() {
    try (TestServer a = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "4"));
        TestServer b = a.sibling()) {
      String key = a.client.newProjectKey();
      assertThat(project(a.client, key).status()).isEqualTo(200);
      assertThat(project(b.client, key).status()).isEqualTo(200);
      assertThat(project(a.client, key).status()).isEqualTo(200);
      assertThat(project(b.client, key).status()).isEqualTo(200);
      assertThat(project(a.client, key).status()).isEqualTo(429);
      assertThat(project(b.client, key).status()).isEqualTo(429);
    }
  }

  @Test
  @DisplayName("slides: a request is allowed again once the oldest leaves the window")
  void windowSlides() {
    try (TestServer server = TestServer.start(Map.of(
        "SEXTANT_RATELIMIT_WINDOW_SECONDS", "2", "SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "90"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      for (int i = 0; i < 3; i++) {
        assertThat(project(api, key).status()).isEqualTo(200);
      }
      Response limited = project(api, key);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isIn("1", "2");
      Await.until(Duration.ofSeconds(5), () -> project(api, key).status() == 200, "a slot to free");
    }
  }

  @Test
  @DisplayName("limits auth per client IP, taking X-Forwarded-For only from a trusted proxy")
  void authPerIp() {
    try (TestServer direct = TestServer.start(Map.of("SEXTANT_RATELIMIT_AUTH_PER_MINUTE", "3"));
        TestServer proxied = TestServer.start(Map.of("SEXTANT_RATELIMIT_AUTH_PER_MINUTE", "3",
            "SEXTANT_RATELIMIT_TRUSTED_PROXIES", "127.0.0.1"))) {
      JsonObject login = new JsonObject().put("email", "nobody@example.com").put("password", "wrong password");
      for (int i = 0; i < 3; i++) {
        assertThat(login(direct.client, login, "10.0.0." + i).status()).isEqualTo(401);
      }
      // the header of an untrusted peer is ignored: still the same client
      assertThat(login(direct.client, login, "10.0.0.99").status()).isEqualTo(429);

      for (int i = 0; i < 3; i++) {
        assertThat(login(proxied.client, login, "203.0.113.7").status()).isEqualTo(401);
      }
      assertThat(login(proxied.client, login, "203.0.113.7").status()).isEqualTo(429);
      assertThat(login(proxied.client, login, "203.0.113.8, 10.1.1.1").status()).isEqualTo(401);
    }
  }

  private static Response login(ApiClient api, JsonObject body, String forwardedFor) {
    return api.send(api.request("/api/v1/auth/login").header("Content-Type", "application/json")
        .header("X-Forwarded-For", forwardedFor)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }
}
