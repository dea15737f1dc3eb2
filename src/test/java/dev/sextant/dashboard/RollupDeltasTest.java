package dev.sextant.dashboard;

import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Batches;
import dev.sextant.support.RollupsFolded;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The roll-ups kept from the writers' deltas and marks while writes go on equal the roll-ups
 * recomputed from the raw rows afterwards: no delta is added twice or lost, whatever passes ran
 * between, beside or within the writes.
 */
@DisplayName("Roll-up deltas")
class RollupDeltasTest {

  private static final String ADMIN = "admin-secret-deltas";
  private static final int WRITERS = 4;
  private static final int BATCHES = 25;
  private static final String[] MODELS = {"gpt-4o", "claude-3", null};

  @Test
  @DisplayName("roll-ups kept during concurrent new traces, late spans and re-sent batches equal a rebuild")
  void keptEqualsRebuilt() throws Exception {
    // a pass queued 5 ms after a write, with no pause: passes run all through the writes
    try (TestServer server = TestServer.start(Map.of("SEXTANT_ADMIN_TOKEN", ADMIN,
        "SEXTANT_DASHBOARD_ROLLUP_DELAY_MS", "5", "SEXTANT_DASHBOARD_ROLLUP_PAUSE_FACTOR", "0"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      String project = api.get("/api/v1/project", key).json().getString("id");
      Instant now = Instant.now();
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          writers.add(pool.submit(() -> write(api, key, writer, now)));
        }
        for (Future<?> writer : writers) {
          writer.get();
        }
      } finally {
        pool.shutdown();
      }
      assertKeptEqualsRebuilt(server, project, 3 * 4);
    }
  }

  @Test
  @DisplayName("deltas of times finer than a microsecond, at minute edges and over days equal a rebuild")
  void awkwardTimesEqualRebuilt() throws Exception {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_ADMIN_TOKEN", ADMIN))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      String project = api.get("/api/v1/project", key).json().getString("id");
      // the deltas are counted from the times as sent, the rebuild from the times as stored
      String[][] times = {
          {"2026-11-20T10:15:59.999999999Z", "2026-11-20T10:16:00.000000001Z"},
          {"2026-11-20T10:15:00Z", "2026-11-20T10:15:00.000000999Z"},
          {"2026-11-20T10:15:00.0000015Z", "2026-11-23T12:00:00.0000025Z"},
          {"1999-12-31T23:59:59.9999995Z", "2000-01-01T00:00:00.0000005Z"},
          {"1970-01-01T00:00:00.000000001Z", "1970-01-01T00:01:00Z"},
          {"2026-11-20T10:15:30.123456789+05:30", "2026-11-20T10:15:31.987654321+05:30"}};
      List<JsonObject> items = new ArrayList<>();
      for (int i = 0; i < times.length; i++) {
        items.add(trace(new JsonObject().put("id", "t" + i).put("name", "awkward")
            .put("start_time", times[i][0]).put("end_time", times[i][1])));
        items.add(span(new JsonObject().put("id", "s").put("trace_id", "t" + i).put("model", "m")
            .put("start_time", times[i][0]).put("end_time", times[i][1]).put("cost_usd", 0.1)));
      }
      items.add(trace(new JsonObject().put("id", "untimed")));
      items.add(span(new JsonObject().put("id", "s").put("trace_id", "untimed").put("name", "x")));
      Batches.ingestAll(api, key, items);
      assertKeptEqualsRebuilt(server, project, times.length);
    }
  }

  /**
   * One writer's batches, all within the last few minutes: new traces (deltas); late spans of the
   * writer's earlier traces, and the previous batch sent again (marks of existing traces).
   */
  private static void write(ApiClient api, String key, int writer, Instant now) {
    Random random = new Random(writer);
    List<JsonObject> previous = List.of();
    for (int b = 0; b < BATCHES; b++) {
      List<JsonObject> items = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String id = "w" + writer + "-b" + b + "-t" + t;
        Instant at = now.minusMillis(random.nextInt(180_000));
        long latency = random.nextInt(3000);
        items.add(trace(new JsonObject().put("id", id).put("name", "n" + random.nextInt(3))
            .put("user_id", "u" + random.nextInt(5)).put("start_time", at.toString())
            .put("end_time", at.plusMillis(latency).toString())
            .put("status", random.nextInt(5) == 0 ? "error" : "ok")));
        for (int s = 0; s < 3; s++) {
          items.add(span(spanAt(random, id, "s" + s, at)));
        }
      }
      if (b > 0) {
        String earlier = "w" + writer + "-b" + random.nextInt(b) + "-t" + random.nextInt(8);
        items.add(span(spanAt(random, earlier, "late" + b, now.minusMillis(random.nextInt(240_000)))));
      }
      Batches.ingestAll(api, key, items);
      if (b % 5 == 4) {
        Batches.ingestAll(api, key, previous);
      }
      previous = items;
    }
  }

  private static JsonObject spanAt(Random random, String traceId, String id, Instant at) {
    JsonObject span = new JsonObject().put("id", id).put("trace_id", traceId)
        .put("start_time", at.toString())
        .put("end_time", at.plusMillis(random.nextInt(2000)).toString())
        .put("input_tokens", random.nextInt(500)).put("output_tokens", random.nextInt(50))
        .put("cost_usd", random.nextInt(100) / 1000.0);
    String model = MODELS[random.nextInt(MODELS.length)];
    return model == null ? span : span.put("model", model);
  }

  /**
   * Once every write is folded in, the roll-ups kept (more than {@code fewestRows}) equal those a
   * rebuild of the project recomputes from its raw rows.
   */
  private static void assertKeptEqualsRebuilt(TestServer server, String project, int fewestRows)
      throws SQLException {
    RollupsFolded.await(server.databaseUrl(), project);
    List<String> kept = rollupRows(server, project);
    assertThat(kept).hasSizeGreaterThan(fewestRows);

    ApiClient api = server.client;
    Response r = api.send(api.request("/api/v1/admin/projects/" + project + "/rollups/rebuild")
        .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + ADMIN).build());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    RollupsFolded.await(server.databaseUrl(), project);
    assertThat(kept).containsExactlyElementsOf(rollupRows(server, project));
  }

  private static List<String> rollupRows(TestServer server, String project) throws SQLException {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl())) {
      return StoredRollups.rows(conn, project);
    }
  }
}
