package dev.sextant.traces;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.rollups.LatencySketch;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Trace queries")
@ExtendWith(ServerExtension.class)
class TraceQueryTest {

  @Injected private static ApiClient api;
  @ProjectKey private static String key;
  @ProjectKey private static String otherKey;

  @BeforeAll
  static void ingestTraces() {
    Response r = api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("id", "t1").put("name", "chat").put("user_id", "alice").put("session_id", "s1")
            .put("release", "1.0").put("tags", new JsonArray().add("prod").add("eu"))
            .put("start_time", "2026-11-20T10:00:00Z").put("end_time", "2026-11-20T10:00:01Z")),
        trace(new JsonObject().put("id", "t2").put("name", "chat").put("user_id", "bob").put("session_id", "s1")
            .put("release", "1.1").put("tags", new JsonArray().add("prod"))
            .put("start_time", "2026-11-21T10:00:00Z").put("end_time", "2026-11-21T10:00:03Z")),
        trace(new JsonObject().put("id", "t3").put("name", "summarize").put("user_id", "alice").put("session_id", "s2")
            .put("release", "1.1").put("tags", new JsonArray().add("dev"))
            .put("start_time", "2026-11-22T10:00:00Z").put("end_time", "2026-11-22T10:00:02Z")),
        span(new JsonObject().put("id", "a").put("trace_id", "t1").put("model", "gpt-4o").put("input_tokens", 10)
            .put("output_tokens", 1).put("cost_usd", 0.01)
            .put("start_time", "2026-11-20T10:00:00Z").put("end_time", "2026-11-20T10:00:00.500Z")),
        span(new JsonObject().put("id", "b").put("trace_id", "t1").put("model", "gpt-4o").put("input_tokens", 20)
            .put("start_time", "2026-11-20T10:00:00.500Z").put("end_time", "2026-11-20T10:00:01Z")),
        span(new JsonObject().put("id", "c").put("trace_id", "t3").put("model", "claude").put("status", "error")
            .put("start_time", "2026-11-22T10:00:00Z").put("end_time", "2026-11-22T10:00:02Z"))));
    assertThat(r.status()).isEqualTo(207);
  }

  private static List<String> ids(String query) {
    Response r = api.get("/api/v1/traces" + query, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.data().stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  @DisplayName("list newest first, as summaries without input, output and metadata")
  void listNewestFirst() {
    Response r = api.get("/api/v1/traces", key);
    assertThat(ids("")).containsExactly("t3", "t2", "t1");
    JsonObject first = r.data().getJsonObject(0);
    assertThat(first.containsKey("input")).isFalse();
    assertThat(first.containsKey("metadata")).isFalse();
    assertThat(first.getString("status")).isEqualTo("error");
    assertThat(first.getInteger("span_count")).isEqualTo(1);
    assertThat(r.json().getValue("next_cursor")).isNull();
  }

  @Test
  @DisplayName("filter by every field, and by several tags that must all match")
  void filters() {
    assertThat(ids("?name=chat")).containsExactly("t2", "t1");
    assertThat(ids("?user_id=alice")).containsExactly("t3", "t1");
    assertThat(ids("?session_id=s1")).containsExactly("t2", "t1");
    assertThat(ids("?release=1.1")).containsExactly("t3", "t2");
    assertThat(ids("?status=error")).containsExactly("t3");
    assertThat(ids("?status=ok")).containsExactly("t2", "t1");
    assertThat(ids("?tag=prod")).containsExactly("t2", "t1");
    assertThat(ids("?tag=prod&tag=eu")).containsExactly("t1");
    assertThat(ids("?tag=prod&tag=dev")).isEmpty();
    assertThat(ids("?from=2026-11-21T00:00:00Z")).containsExactly("t3", "t2");
    assertThat(ids("?to=2026-11-21T10:00:00Z")).containsExactly("t1");
    // finer than the microseconds stored: from stays inclusive and to exclusive all the same
    assertThat(ids("?from=2026-11-21T10:00:00.0000001Z")).containsExactly("t3");
    assertThat(ids("?to=2026-11-21T10:00:00.0000001Z")).containsExactly("t2", "t1");
    assertThat(ids("?from=2026-11-21T00:00:00%2B01:00&to=2026-11-22T00:00:00Z&name=chat")).containsExactly("t2");
  }

  @Test
  @DisplayName("page with a cursor, and refuse a malformed cursor or limit with 400")
  void paging() {
    Response page1 = api.get("/api/v1/traces?limit=2", key);
    assertThat(page1.data()).hasSize(2);
    String cursor = page1.json().getString("next_cursor");
    assertThat(cursor).isNotBlank();
    Response page2 = api.get("/api/v1/traces?limit=2&cursor=" + cursor, key);
    assertThat(page2.data().getJsonObject(0).getString("id")).isEqualTo("t1");
    assertThat(page2.json().getValue("next_cursor")).isNull();

    assertProblem(api.get("/api/v1/traces?cursor=garbage", key), 400);
    assertProblem(api.get("/api/v1/traces?limit=0", key), 400);
    assertProblem(api.get("/api/v1/traces?limit=1001", key), 400);
    assertProblem(api.get("/api/v1/traces?limit=ten", key), 400);
    assertProblem(api.get("/api/v1/traces?from=yesterday", key), 400);
    assertProblem(api.get("/api/v1/traces?status=broken", key), 400);
    assertProblem(api.get("/api/v1/traces?to=9999999999999999999", key), 400);
    assertProblem(api.get("/api/v1/traces/stats?from=9223372036854775808", key), 400);
    Response nul = api.get("/api/v1/traces?name=%00", key);
    assertProblem(nul, 400);
    assertThat(nul.json().getJsonArray("errors").getJsonObject(0).getString("message"))
        .isEqualTo("must not contain NUL characters");
  }

  @Test
  @DisplayName("page through traces dated as late as the year 9999")
  void farFuture() {
    String own = api.newProjectKey();
    api.post("/api/v1/ingest", own, batch(
        trace(new JsonObject().put("id", "near").put("start_time", "2026-01-01T00:00:00Z")),
        trace(new JsonObject().put("id", "far").put("start_time", "2300-01-01T00:00:00Z")),
        trace(new JsonObject().put("id", "last").put("start_time", "9999-12-31T23:59:59.999Z"))));
    List<String> walked = new java.util.ArrayList<>();
    String cursor = "";
    do {
      Response page = api.get("/api/v1/traces?limit=1&cursor=" + cursor, own);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.data().forEach(o -> walked.add(((JsonObject) o).getString("id")));
      cursor = page.json().getString("next_cursor");
    } while (cursor != null);
    assertThat(walked).containsExactly("last", "far", "near");
  }

  @Test
  @DisplayName("show one trace whole: spans ordered by start time with parents, and scores")
  void detail() {
    Response r = api.get("/api/v1/traces/t1", key);
    assertThat(r.status()).isEqualTo(200);
    JsonObject t = r.json();
    assertThat(t.getJsonArray("spans").stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly("a", "b");
    assertThat(t.getLong("input_tokens")).isEqualTo(30);
    assertThat(t.getDouble("latency_ms")).isEqualTo(1000.0);
    assertThat(t.containsKey("scores")).isTrue();
    assertProblem(api.get("/api/v1/traces/nope", key), 404);
    assertProblem(api.get("/api/v1/traces/bad%20id", key), 404);
  }

  @Test
  @DisplayName("keep every project's traces invisible to every other: list, detail, stats and delete")
  void isolation() {
    assertThat(api.get("/api/v1/traces", otherKey).data()).isEmpty();
    assertProblem(api.get("/api/v1/traces/t1", otherKey), 404);
    assertProblem(api.delete("/api/v1/traces/t1", otherKey), 404);
    JsonArray otherStats = api.get("/api/v1/traces/stats", otherKey).data();
    assertThat(otherStats).hasSize(1);
    assertThat(otherStats.getJsonObject(0).getLong("trace_count")).isZero();
    assertThat(otherStats.getJsonObject(0).getJsonObject("latency_ms").getValue("p50")).isNull();
    assertThat(api.get("/api/v1/traces/stats?group_by=model", otherKey).data()).isEmpty();
    assertThat(api.get("/api/v1/traces/t1", key).status()).isEqualTo(200);
    // the same client id in another project is another trace
    api.post("/api/v1/ingest", otherKey, batch(trace(new JsonObject().put("id", "t1").put("name", "theirs"))));
    assertThat(api.get("/api/v1/traces/t1", otherKey).json().getString("name")).isEqualTo("theirs");
    assertThat(api.get("/api/v1/traces/t1", key).json().getString("name")).isEqualTo("chat");
  }

  @Test
  @DisplayName("compute stats for every grouping, counting spans when grouped by model")
  void stats() {
    JsonArray all = api.get("/api/v1/traces/stats", key).data();
    assertThat(all).hasSize(1);
    JsonObject none = all.getJsonObject(0);
    assertThat(none.getLong("trace_count")).isEqualTo(3);
    assertThat(none.getLong("error_count")).isEqualTo(1);
    assertThat(none.getDouble("error_rate")).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    // over all time: from the roll-ups' sketches, within their error bound
    assertThat(none.getJsonObject("latency_ms").getDouble("p50"))
        .isCloseTo(2000.0, within(2000.0 * LatencySketch.ERROR_BOUND));
    assertThat(none.getLong("input_tokens")).isEqualTo(30);

    JsonArray byName = api.get("/api/v1/traces/stats?group_by=name", key).data();
    assertThat(byName.getJsonObject(0).getString("key")).isEqualTo("chat");
    assertThat(byName.getJsonObject(0).getLong("trace_count")).isEqualTo(2);

    JsonArray byModel = api.get("/api/v1/traces/stats?group_by=model", key).data();
    JsonObject gpt = byModel.stream().map(JsonObject.class::cast)
        .filter(o -> "gpt-4o".equals(o.getString("key"))).findFirst().orElseThrow();
    assertThat(gpt.getLong("trace_count")).isEqualTo(2);
    assertThat(gpt.getJsonObject("latency_ms").getDouble("p50"))
        .isCloseTo(500.0, within(500.0 * LatencySketch.ERROR_BOUND));
    JsonObject claude = byModel.stream().map(JsonObject.class::cast)
        .filter(o -> "claude".equals(o.getString("key"))).findFirst().orElseThrow();
    assertThat(claude.getLong("error_count")).isEqualTo(1);

    assertThat(api.get("/api/v1/traces/stats?group_by=user_id", key).data()).hasSize(2);
    assertThat(api.get("/api/v1/traces/stats?group_by=release", key).data()).hasSize(2);
    assertThat(api.get("/api/v1/traces/stats?group_by=name&from=2026-11-22T00:00:00Z", key).data())
        .hasSize(1);
    assertProblem(api.get("/api/v1/traces/stats?group_by=colour", key), 400);
  }

  @Test
  @DisplayName("count a span sent without a start time in stats by model over all time, not in a range")
  void statsOfSpansWithoutTime() {
    String own = api.newProjectKey();
    api.post("/api/v1/ingest", own, batch(
        span(new JsonObject().put("id", "timeless").put("trace_id", "t").put("model", "m")),
        span(new JsonObject().put("id", "timed").put("trace_id", "t").put("model", "m")
            .put("start_time", "2026-11-20T10:00:00Z").put("end_time", "2026-11-20T10:00:01Z"))));

    JsonArray allTime = api.get("/api/v1/traces/stats?group_by=model", own).data();
    JsonArray ranged = api.get("/api/v1/traces/stats?group_by=model&from=2026-01-01T00:00:00Z", own).data();

    assertThat(allTime.getJsonObject(0).getLong("trace_count")).isEqualTo(2);
    assertThat(allTime.getJsonObject(0).getJsonObject("latency_ms").getDouble("p50"))
        .isCloseTo(1000.0, within(1000.0 * LatencySketch.ERROR_BOUND));
    assertThat(ranged.getJsonObject(0).getLong("trace_count")).isEqualTo(1);
  }

  @Test
  @DisplayName("delete a trace with its spans and scores")
  void delete() {
    api.post("/api/v1/ingest", key, batch(
        span(new JsonObject().put("id", "x").put("trace_id", "doomed")),
        dev.sextant.support.Batches.score(new JsonObject().put("trace_id", "doomed").put("name", "n").put("value", 1))));
    assertThat(api.get("/api/v1/traces/doomed", key).status()).isEqualTo(200);
    assertThat(api.delete("/api/v1/traces/doomed", key).status()).isEqualTo(204);
    assertProblem(api.get("/api/v1/traces/doomed", key), 404);
    assertProblem(api.delete("/api/v1/traces/doomed", key), 404);
    // re-ingesting the span finds no trace of the old one's spans
    api.post("/api/v1/ingest", key, batch(span(new JsonObject().put("id", "y").put("trace_id", "doomed"))));
    assertThat(api.get("/api/v1/traces/doomed", key).json().getJsonArray("spans")).hasSize(1);
    assertThat(api.get("/api/v1/traces/doomed", key).json().getInteger("span_count")).isEqualTo(1);
    assertThat(api.get("/api/v1/traces/doomed", key).json().getJsonArray("scores")).isEmpty();
    api.delete("/api/v1/traces/doomed", key);
  }
}
