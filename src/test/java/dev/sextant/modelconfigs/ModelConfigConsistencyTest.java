package dev.sextant.modelconfigs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.Sibling;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Model configs across two instances")
@ExtendWith(ServerExtension.class)
class ModelConfigConsistencyTest {

  private static final String BASE = "/api/v1/model-configs";

  @Injected private static TestServer a;
  @Sibling private static TestServer b;

  private static JsonObject config(String name, String model) {
    return new JsonObject().put("name", name).put("provider", "anthropic").put("model", model);
  }

  @Test
  @DisplayName("give 20 concurrent creates of one name, on two instances, the versions 1 to 20")
  void concurrentCreates() throws Exception {
    String key = a.client.newProjectKey();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<CompletableFuture<Response>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        TestServer server = i % 2 == 0 ? a : b;
        String model = "m" + i;
        sent.add(CompletableFuture.supplyAsync(() -> server.client.post(BASE, key, config("shared", model)), pool));
      }
      List<Integer> versions = new ArrayList<>();
      for (CompletableFuture<Response> f : sent) {
        Response r = f.get();
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        versions.add(r.json().getInteger("version"));
      }
      assertThat(versions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
    Response all = b.client.get(BASE + "/shared/versions", key);
    assertThat(all.data().stream().map(o -> ((JsonObject) o).getInteger("version")))
        .containsExactlyElementsOf(IntStream.iterate(20, v -> v - 1).limit(20).boxed().toList());
  }

  @Test
  @DisplayName("show a label move and a new version at once on the other instance")
  void labelMoveSeenEverywhere() {
    String key = a.client.newProjectKey();
    a.client.post(BASE, key, config("bot", "m1").put("labels", new io.vertx.core.json.JsonArray().add("prod")));
    a.client.post(BASE, key, config("bot", "m2"));
    for (int round = 0; round < 5; round++) {
      int target = round % 2 == 0 ? 2 : 1;
      Response etagRead = b.client.get(BASE + "/bot?label=prod", key);
      String etag = etagRead.header("ETag");
      Response moved = a.client.put(BASE + "/bot/labels/prod", key, new JsonObject().put("version", target));
      assertThat(moved.status()).isEqualTo(200);
      Response onB = b.client.get(BASE + "/bot?label=prod", key, "If-None-Match", etag);
      assertThat(onB.status()).isEqualTo(200);
      assertThat(onB.json().getInteger("version")).isEqualTo(target);
      assertThat(a.client.get(BASE + "/bot?label=prod", key).json().getInteger("version")).isEqualTo(target);
    }
    assertThat(b.client.post(BASE, key, config("bot", "m3")).json().getInteger("version")).isEqualTo(3);
    assertThat(a.client.get(BASE + "/bot", key).json().getInteger("version")).isEqualTo(3);
    assertThat(a.client.get(BASE, key).data().getJsonObject(0).getInteger("version")).isEqualTo(3);
  }

  @Test
  @DisplayName("serve repeated reads from the cache, which ingesting traces into the project does not retire")
  void cachedReads() {
    String key = a.client.newProjectKey();
    a.client.post(BASE, key, config("polled", "m1"));
    Await.until(Duration.ofSeconds(10), () -> {
      double before = hits(a);
      a.client.get(BASE + "/polled", key);
      return hits(a) > before;
    }, "a read of the config to be served from the cache");
    Response ingested = a.client.post("/api/v1/ingest", key, new JsonObject().put("batch",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "trace")
            .put("body", new JsonObject().put("id", "t1").put("name", "chat")))));
    assertThat(ingested.status()).isEqualTo(207);
    double before = hits(a);
    Response read = a.client.get(BASE + "/polled", key);
    assertThat(read.json().getString("model")).isEqualTo("m1");
    assertThat(hits(a)).as("still cached after the ingest: " + a.client.get("/metrics", null).body().lines().filter(l -> l.contains("model_config")).toList()).isGreaterThan(before);
  }

  private static double hits(TestServer server) {
    return server.client.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("sextant_cache_hits_total{") && l.contains("cache=\"model_config\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
