package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Batches;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Under overload the server")
class OverloadTest {

  @Test
  @DisplayName("cancels a statement that runs past the statement timeout: 503 with Retry-After, nothing changed")
  void cancelsLongStatements() throws Exception {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_DATABASE_STATEMENT_TIMEOUT_MS", "300"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      api.post("/api/v1/ingest", key, Batches.batch(Batches.trace(new JsonObject().put("id", "held"))));
      try (Connection db = TestInfra.jdbc(server.databaseUrl())) {
        db.setAutoCommit(false);
        try (Statement hold = db.createStatement()) {
          // the delete must wait for this row lock, longer than its statements may run
          hold.execute("SELECT 1 FROM traces WHERE id = 'held' FOR UPDATE");
          Response r = api.delete("/api/v1/traces/held", key);
          assertThat(r.status()).isEqualTo(503);
          assertThat(r.header("Retry-After")).isEqualTo("1");
          assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        } finally {
          db.rollback();
        }
      }
      assertThat(api.get("/api/v1/traces/held", key).status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("sheds what it cannot queue with 503 and Retry-After, and loses nothing it acknowledged")
  void shedsInsteadOfQueueing() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
        "SEXTANT_DATABASE_POOL_SIZE", "1",
        "SEXTANT_DATABASE_MAX_WAIT_QUEUE", "1",
        "SEXTANT_DATABASE_CONNECT_TIMEOUT_MS", "200"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      ExecutorService clients = Executors.newFixedThreadPool(24);
      List<CompletableFuture<Response>> calls = new ArrayList<>();
      for (int c = 0; c < 48; c++) {
        JsonArray items = new JsonArray();
        for (int i = 0; i < 300; i++) {
          items.add(new JsonObject().put("type", "span").put("body", new JsonObject()
              .put("id", "s" + i).put("trace_id", "t" + c).put("input", "x".repeat(200))));
        }
        JsonObject body = new JsonObject().put("batch", items);
        calls.add(CompletableFuture.supplyAsync(() -> api.post("/api/v1/ingest", key, body), clients));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
      int shed = 0;
      for (int c = 0; c < calls.size(); c++) {
        Response r = calls.get(c).join();
        assertThat(r.status()).as(r.body()).isIn(207, 503);
        if (r.status() == 503) {
          shed++;
          assertThat(r.header("Retry-After")).isEqualTo("1");
          assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        } else {
          // acknowledged means stored: every span of the batch is there
          Response trace = awaitRead(api, key, "t" + c);
          assertThat(trace.json().getInteger("span_count")).isEqualTo(300);
        }
      }
      clients.shutdown();
      assertThat(shed).as("requests shed").isPositive();
      // once the flood is over the server serves again
      JsonObject after = new JsonObject().put("batch", new JsonArray().add(new JsonObject()
          .put("type", "trace").put("body", new JsonObject().put("id", "after").put("name", "calm"))));
      assertThat(api.post("/api/v1/ingest", key, after).status()).isEqualTo(207);
      assertThat(awaitRead(api, key, "after").json().getString("name")).isEqualTo("calm");
    }
  }

  /** Reads may themselves be shed while the pool is saturated; the data must be there once it is not. */
  private static Response awaitRead(ApiClient api, String key, String traceId) {
    Response r = api.get("/api/v1/traces/" + traceId, key);
    for (int attempt = 0; r.status() == 503 && attempt < 50; attempt++) {
      r = api.get("/api/v1/traces/" + traceId, key);
    }
    assertThat(r.status()).isEqualTo(200);
    return r;
  }
}
