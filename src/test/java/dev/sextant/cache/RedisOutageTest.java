package dev.sextant.cache;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embedded.EmbeddedRedis;
import dev.sextant.embedded.FreePort;
import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When Redis goes away")
class RedisOutageTest {

  private static String name(ApiClient api, String key, String traceId) {
    return api.get("/api/v1/traces/" + traceId, key).json().getString("name");
  }

  private static double hits(ApiClient api) {
    return api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("sextant_cache_hits_total{") && l.contains("trace_detail"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  @DisplayName("every endpoint still answers, limits hold locally, readiness is degraded; back, caching resumes")
  void stoppedAndRestarted() throws Exception {
    int port = FreePort.find();
    EmbeddedRedis redis = TestInfra.startRedis(port);
    try (TestServer server = TestServer.start(Map.of("REDIS_URL", redis.url(),
        "SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "30"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      String t = UUID.randomUUID().toString();
      api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", t).put("name", "before"))));
      assertThat(name(api, key, t)).isEqualTo("before");

      redis.close();
      Await.until(Duration.ofSeconds(10), () -> api.get("/health/ready", null).json().getBoolean("degraded"),
          "degraded readiness");
      assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
      assertThat(api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", t).put("name", "during"))))
          .status()).isEqualTo(207);
      assertThat(name(api, key, t)).isEqualTo("during");
      assertThat(api.get("/api/v1/traces", key).status()).isEqualTo(200);
      assertThat(api.get("/api/v1/traces/stats", key).status()).isEqualTo(200);
      assertThat(api.get("/api/v1/dashboard", key).status()).isEqualTo(200);
      // the local window still limits: 30 per minute, some already spent
      int passed = 0;
      int limited = 0;
      for (int i = 0; i < 40; i++) {
        int status = api.get("/api/v1/project", key).status();
        passed += status == 200 ? 1 : 0;
        limited += status == 429 ? 1 : 0;
      }
      assertThat(limited).isPositive();
      assertThat(passed).isLessThanOrEqualTo(30);

      redis = TestInfra.startRedis(port);
      Await.until(Duration.ofSeconds(10), () -> !api.get("/health/ready", null).json().getBoolean("degraded"),
          "Redis to be seen again");
    } finally {
      redis.close();
    }
  }

  @Test
  @DisplayName("a write it could not see never leaves a stale answer behind once Redis answers again")
  void noStaleAnswerAfterAStall() throws Exception {
    Vertx vertx = Vertx.vertx();
    String redisUrl = TestInfra.redisUrl();
    Redis admin = Redis.createClient(vertx, redisUrl);
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "100000"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      String t = UUID.randomUUID().toString();
      api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", t).put("name", "v1"))));
      double before = hits(api);
      Await.until(Duration.ofSeconds(5), () -> "v1".equals(name(api, key, t)) && hits(api) > before,
          "v1 to be served from the cache");

      // Redis stops answering (but keeps its data) while a write happens
      admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(3000).arg("ALL")).await();
      assertThat(api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", t).put("name", "v2"))))
          .status()).isEqualTo(207);
      assertThat(name(api, key, t)).isEqualTo("v2");

      // once Redis answers again, the old entry is never served; caching resumes
      double resumedFrom = hits(api);
      Await.until(Duration.ofSeconds(20), () -> {
        assertThat(name(api, key, t)).isEqualTo("v2");
        return hits(api) > resumedFrom;
      }, "caching to resume");
      assertThat(name(api, key, t)).isEqualTo("v2");
    } finally {
      admin.close();
      vertx.close().await();
    }
  }
}
