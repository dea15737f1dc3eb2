package dev.sextant.cache;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.Sibling;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Cached reads across two instances")
@ExtendWith(ServerExtension.class)
class CachedReadsTest {

  @Injected private static TestServer a;
  @Sibling private static TestServer b;

  private static double counter(ApiClient api, String name, String cache) {
    return api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith(name + "{") && l.contains("cache=\"" + cache + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  @DisplayName("show every acknowledged write at once, whichever instance took it: trace detail")
  void detailReadYourWrites() {
    String key = a.client.newProjectKey();
    String t = UUID.randomUUID().toString();
    a.client.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", t).put("name", "first"))));
    assertThat(a.client.get("/api/v1/traces/" + t, key).json().getString("name")).isEqualTo("first");
    double hitsBefore = counter(a.client, "sextant_cache_hits_total", "trace_detail");
    Await.until(Duration.ofSeconds(5), () -> {
      a.client.get("/api/v1/traces/" + t, key);
      return counter(a.client, "sextant_cache_hits_total", "trace_detail") > hitsBefore;
    }, "a cache hit");

    b.client.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", t).put("name", "second")),
        span(new JsonObject().put("id", "s").put("trace_id", t))));
    JsonObject onA = a.client.get("/api/v1/traces/" + t, key).json();
    assertThat(onA.getString("name")).isEqualTo("second");
    assertThat(onA.getJsonArray("spans")).hasSize(1);

    assertThat(b.client.delete("/api/v1/traces/" + t, key).status()).isEqualTo(204);
    assertThat(a.client.get("/api/v1/traces/" + t, key).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("show every acknowledged write at once, whichever instance took it: trace stats")
  void statsReadYourWrites() {
    String key = a.client.newProjectKey();
    a.client.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("name", "x"))));
    assertThat(a.client.get("/api/v1/traces/stats", key).data().getJsonObject(0).getLong("trace_count")).isEqualTo(1);
    assertThat(a.client.get("/api/v1/traces/stats", key).data().getJsonObject(0).getLong("trace_count")).isEqualTo(1);
    b.client.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("name", "y"))));
    assertThat(a.client.get("/api/v1/traces/stats", key).data().getJsonObject(0).getLong("trace_count")).isEqualTo(2);
    assertThat(counter(a.client, "sextant_cache_misses_total", "trace_stats")).isPositive();
  }

  @Test
  @DisplayName("serve slow stats up to 60 s stale after a write, as the contract allows, and then the newer ones")
  void slowStatsStale() {
    try (TestServer slow = TestServer.start(Map.of("SEXTANT_CACHE_TRACE_STATS_MAX_STALE_SECONDS", "60",
        "SEXTANT_CACHE_TRACE_STATS_STALE_IF_SLOWER_THAN_MS", "0"));
        TestServer other = slow.sibling()) {
      String key = slow.client.newProjectKey();
      slow.client.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("name", "x"))));
      Await.until(Duration.ofSeconds(5), () -> traceCount(slow.client, key) == 1
          && counter(slow.client, "sextant_cache_hits_total", "trace_stats") > 0, "the stats to be cached");
      other.client.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("name", "y"))));
      // the answer computed before the write, at once
      assertThat(traceCount(slow.client, key)).isEqualTo(1);
      assertThat(counter(slow.client, "sextant_cache_stale_total", "trace_stats")).isPositive();
      // and, once it has been computed in the background, the newer one
      Await.until(Duration.ofSeconds(5), () -> traceCount(slow.client, key) == 2, "the newer stats");
      assertThat(traceCount(other.client, key)).isEqualTo(2);
    }
  }

  private static long traceCount(ApiClient api, String key) {
    return api.get("/api/v1/traces/stats", key).data().getJsonObject(0).getLong("trace_count");
  }

  @Test
  @DisplayName("refuse a key revoked on one instance on the other within 1 s")
  void revocationAcrossInstances() {
    String session = a.client.newSession();
    String projectId = a.client.newProject(session, "revoke");
    JsonObject created = a.client.post("/api/v1/projects/" + projectId + "/api-keys", session,
        new JsonObject().put("name", "k")).json();
    String key = created.getString("key");
    assertThat(b.client.get("/api/v1/project", key).status()).isEqualTo(200);
    assertThat(b.client.get("/api/v1/project", key).status()).isEqualTo(200); // now in b's near-cache
    assertThat(a.client.delete("/api/v1/projects/" + projectId + "/api-keys/" + created.getString("id"), session)
        .status()).isEqualTo(204);
    assertThat(a.client.get("/api/v1/project", key).status()).as("at once where it was revoked").isEqualTo(401);
    Await.until(Duration.ofSeconds(1), () -> b.client.get("/api/v1/project", key).status() == 401,
        "the other instance to refuse the revoked key");
  }

  @Test
  @DisplayName("end a logged-out session on the other instance within 1 s")
  void logoutAcrossInstances() {
    String session = a.client.newSession();
    assertThat(b.client.get("/api/v1/me", session).status()).isEqualTo(200);
    assertThat(a.client.post("/api/v1/auth/logout", session, null).status()).isEqualTo(204);
    Await.until(Duration.ofSeconds(1), () -> b.client.get("/api/v1/me", session).status() == 401,
        "the other instance to refuse the ended session");
  }
}
