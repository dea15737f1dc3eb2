package dev.sextant.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embedded.EmbeddedRedis;
import dev.sextant.embedded.FreePort;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Health")
class HealthTest {

  private static int redisPort;
  private static EmbeddedRedis redis;
  private static TestServer server;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    // a Redis of this test's own, so that stopping it disturbs nobody else
    redisPort = FreePort.find();
    redis = TestInfra.startRedis(redisPort);
    server = TestServer.start(Map.of("REDIS_URL", redis.url()));
    api = server.client;
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    redis.close();
  }

  private static JsonObject check(Response ready, String id) {
    return ready.json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("live answers UP while the process runs")
  void live() {
    Response r = api.get("/health/live", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("ready answers 503 while PostgreSQL refuses connections, and sextant_ready says so, until it accepts them again")
  void unreadyWithoutPostgres() throws Exception {
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
    assertThat(api.get("/metrics", null).body()).contains("\nsextant_ready 1.0\n");
    String database = server.databaseUrl().substring(server.databaseUrl().lastIndexOf('/') + 1);
    String admin = server.databaseUrl().substring(0, server.databaseUrl().lastIndexOf('/') + 1) + "postgres";
    try (Connection conn = TestInfra.jdbc(admin); Statement st = conn.createStatement()) {
      st.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
      try {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        Await.until(Duration.ofSeconds(15), () -> api.get("/health/ready", null).status() == 503,
            "readiness to turn 503");
        assertThat(check(api.get("/health/ready", null), "postgres").getString("status")).isEqualTo("DOWN");
        assertThat(api.get("/metrics", null).body()).contains("\nsextant_ready 0.0\n");
      } finally {
        st.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
      }
    }
    Await.until(Duration.ofSeconds(15), () -> api.get("/health/ready", null).status() == 200,
        "PostgreSQL to come back");
    assertThat(api.get("/metrics", null).body()).contains("\nsextant_ready 1.0\n");
  }

  @Test
  @DisplayName("ready lists postgres, redis and cluster, and stays ready but degraded while Redis is down")
  void readyThroughRedisLoss() throws Exception {
    Response ready = api.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getBoolean("degraded")).isFalse();
    assertThat(check(ready, "postgres").getString("status")).isEqualTo("UP");
    assertThat(check(ready, "redis").getString("status")).isEqualTo("UP");
    assertThat(check(ready, "cluster").getString("status")).isEqualTo("UP");

    redis.close();
    try {
      Await.until(Duration.ofSeconds(10),
          () -> api.get("/health/ready", null).json().getBoolean("degraded"), "degraded readiness");
      Response degraded = api.get("/health/ready", null);
      assertThat(degraded.status()).isEqualTo(200);
      assertThat(check(degraded, "redis").getString("status")).isEqualTo("DOWN");
      assertThat(check(degraded, "postgres").getString("status")).isEqualTo("UP");
      // requests keep working without Redis
      String session = api.newSession();
      assertThat(api.get("/api/v1/me", session).status()).isEqualTo(200);
    } finally {
      redis = TestInfra.startRedis(redisPort);
    }
    Await.until(Duration.ofSeconds(10),
        () -> !api.get("/health/ready", null).json().getBoolean("degraded"), "Redis to come back");
  }
}
