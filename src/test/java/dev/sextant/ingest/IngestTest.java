package dev.sextant.ingest;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.score;
import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Batch ingestion")
@ExtendWith(ServerExtension.class)
class IngestTest {

  @Injected private static TestServer server;
  @Injected private static ApiClient api;
  @ProjectKey private static String key;

  private static String uid() {
    return UUID.randomUUID().toString();
  }

  private static JsonArray results(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    return r.json().getJsonArray("results");
  }

  private static JsonObject read(String traceId) {
    Response r = api.get("/api/v1/traces/" + traceId, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  @DisplayName("answers 207 with a result per item: bad items are refused, the others stored")
  void mixedBatch() {
    String t = uid();
    Response r = api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("id", t).put("name", "chat").put("tags", new JsonArray().add("prod"))
            .put("start_time", "2026-11-26T20:18:38.123+01:00").put("end_time", "2026-11-26T19:18:40.123Z")),
        span(new JsonObject().put("id", "s1").put("name", "llm-call")),
        span(new JsonObject().put("id", "s2").put("trace_id", t).put("kind", "llm").put("model", "gpt-4o")
            .put("input_tokens", 812).put("output_tokens", 96).put("cost_usd", 0.0031)),
        new JsonObject().put("type", "banana").put("body", new JsonObject()),
        score(new JsonObject().put("id", "sc-" + t).put("trace_id", t).put("name", "helpfulness")
            .put("value", 0.8).put("source", "human")),
        span(new JsonObject().put("trace_id", t).put("kind", "quantum"))));
    JsonArray results = results(r);
    assertThat(results).hasSize(6);
    assertThat(results.getJsonObject(0).getMap()).containsEntry("index", 0).containsEntry("id", t)
        .containsEntry("status", 201);
    assertThat(results.getJsonObject(1).getInteger("status")).isEqualTo(400);
    assertThat(results.getJsonObject(1).getString("error")).isEqualTo("span.trace_id: required");
    assertThat(results.getJsonObject(2).getInteger("status")).isEqualTo(201);
    assertThat(results.getJsonObject(3).getInteger("status")).isEqualTo(400);
    assertThat(results.getJsonObject(4).getInteger("status")).isEqualTo(201);
    assertThat(results.getJsonObject(5).getInteger("status")).isEqualTo(400);
    assertThat(results.getJsonObject(5).getString("error")).contains("span.kind");

    JsonObject trace = read(t);
    assertThat(trace.getString("name")).isEqualTo("chat");
    assertThat(trace.getString("start_time")).isEqualTo("2026-11-26T19:18:38.123Z");
    assertThat(trace.getDouble("latency_ms")).isEqualTo(2000.0);
    assertThat(trace.getJsonArray("tags")).containsExactly("prod");
    assertThat(trace.getJsonArray("spans")).hasSize(1);
    assertThat(trace.getJsonArray("scores")).hasSize(1);
    assertThat(trace.getJsonArray("scores").getJsonObject(0).getDouble("value")).isEqualTo(0.8);
    assertThat(trace.getInteger("span_count")).isEqualTo(1);
    assertThat(trace.getLong("input_tokens")).isEqualTo(812);
    assertThat(trace.getLong("output_tokens")).isEqualTo(96);
    assertThat(trace.getDouble("total_cost")).isEqualTo(0.0031);
  }

  @Test
  @DisplayName("upserts by id: a re-sent item updates, never duplicates, and absent fields keep their values")
  void upsertMerges() {
    String t = uid();
    api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("id", t).put("name", "first").put("user_id", "u1").put("release", "1.0")),
        span(new JsonObject().put("id", "a").put("trace_id", t).put("name", "step").put("input_tokens", 5))));
    Response again = api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("id", t).put("name", "renamed")),
        span(new JsonObject().put("id", "a").put("trace_id", t).put("output_tokens", 7)),
        span(new JsonObject().put("id", "a").put("trace_id", t).put("status", "error"))));
    assertThat(results(again).stream().map(o -> ((JsonObject) o).getInteger("status"))).containsOnly(201);
    JsonObject trace = read(t);
    assertThat(trace.getString("name")).isEqualTo("renamed");
    assertThat(trace.getString("user_id")).isEqualTo("u1");
    assertThat(trace.getString("release")).isEqualTo("1.0");
    assertThat(trace.getJsonArray("spans")).hasSize(1);
    JsonObject span = trace.getJsonArray("spans").getJsonObject(0);
    assertThat(span.getString("name")).isEqualTo("step");
    assertThat(span.getLong("input_tokens")).isEqualTo(5);
    assertThat(span.getLong("output_tokens")).isEqualTo(7);
    assertThat(span.getString("status")).isEqualTo("error");
    assertThat(trace.getString("status")).isEqualTo("error");
    assertThat(trace.getInteger("span_count")).isEqualTo(1);
  }

  @Test
  @DisplayName("updates a re-sent score with only the fields sent; refuses such a write for an id no score has")
  void partialScores() {
    String t = uid();
    String sc = "sc-" + t;
    results(api.post("/api/v1/ingest", key, batch(score(new JsonObject().put("id", sc).put("trace_id", t)
        .put("name", "helpfulness").put("value", 0.8).put("source", "human").put("comment", "first")))));

    JsonArray comment = results(api.post("/api/v1/ingest", key, batch(
        score(new JsonObject().put("id", sc).put("comment", "second")))));
    JsonObject afterComment = read(t).getJsonArray("scores").getJsonObject(0);
    JsonArray label = results(api.post("/api/v1/ingest", key, batch(
        score(new JsonObject().put("id", sc).put("value", "good")))));
    JsonObject afterLabel = read(t).getJsonArray("scores").getJsonObject(0);
    JsonArray unknown = results(api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("id", t).put("name", "still written")),
        score(new JsonObject().put("id", "no-such-" + t).put("comment", "lost?")),
        score(new JsonObject().put("id", sc).put("name", " ")))));

    assertThat(comment.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(afterComment.getMap()).containsEntry("name", "helpfulness").containsEntry("value", 0.8)
        .containsEntry("source", "human").containsEntry("comment", "second");
    assertThat(label.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(afterLabel.getMap()).containsEntry("value", "good").containsEntry("comment", "second");
    assertThat(unknown.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(unknown.getJsonObject(1).getString("error"))
        .isEqualTo("score.id: no score has this id, and a new one needs trace_id, name and value");
    assertThat(unknown.getJsonObject(2).getString("error")).isEqualTo("score.name: must not be blank");
    assertThat(read(t).getString("name")).isEqualTo("still written");
    assertThat(read(t).getJsonArray("scores")).hasSize(1);
  }

  @Test
  @DisplayName("takes spans and scores before their trace, deriving the trace's fields from its spans")
  void outOfOrder() {
    String t = uid();
    Response first = api.post("/api/v1/ingest", key, batch(
        span(new JsonObject().put("id", "child").put("trace_id", t).put("parent_id", "root")
            .put("start_time", "2026-11-26T10:00:01Z").put("end_time", "2026-11-26T10:00:03.500Z")
            .put("input_tokens", 10).put("cost_usd", 0.5)),
        score(new JsonObject().put("trace_id", t).put("name", "label").put("value", "good"))));
    assertThat(results(first).getJsonObject(1).getString("id")).isNotBlank();
    JsonObject partial = read(t);
    assertThat(partial.getString("name")).isNull();
    assertThat(partial.getString("start_time")).isEqualTo("2026-11-26T10:00:01.000Z");
    assertThat(partial.getDouble("latency_ms")).isEqualTo(2500.0);
    assertThat(partial.getJsonArray("scores").getJsonObject(0).getString("value")).isEqualTo("good");

    api.post("/api/v1/ingest", key, batch(
        span(new JsonObject().put("id", "root").put("trace_id", t)
            .put("start_time", "2026-11-26T10:00:00Z").put("end_time", "2026-11-26T10:00:04Z")
            .put("input_tokens", 1).put("cost_usd", 0.25)),
        trace(new JsonObject().put("id", t).put("name", "agent-run").put("session_id", "s9"))));
    JsonObject whole = read(t);
    assertThat(whole.getString("name")).isEqualTo("agent-run");
    assertThat(whole.getString("session_id")).isEqualTo("s9");
    assertThat(whole.getInteger("span_count")).isEqualTo(2);
    assertThat(whole.getLong("input_tokens")).isEqualTo(11);
    assertThat(whole.getDouble("total_cost")).isEqualTo(0.75);
    assertThat(whole.getDouble("latency_ms")).isEqualTo(4000.0);
    assertThat(whole.getString("status")).isEqualTo("ok");
    JsonArray spans = whole.getJsonArray("spans");
    assertThat(spans.getJsonObject(0).getString("id")).isEqualTo("root");
    assertThat(spans.getJsonObject(1).getString("parent_id")).isEqualTo("root");
  }

  @Test
  @DisplayName("merges a span stored without its trace row (as an older version could leave one)")
  void spanWithoutItsTrace() throws Exception {
    String t = uid();
    String project = api.get("/api/v1/project", key).json().getString("id");
    try (Connection db = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement insert = db.prepareStatement(
            "INSERT INTO spans (project_id, trace_id, id, name, input_tokens) VALUES (?::uuid, ?, 's1', 'old', 7)")) {
      insert.setString(1, project);
      insert.setString(2, t);
      insert.executeUpdate();
    }
    // the trace is new to this batch, so its spans are first inserted plainly; s1 collides, and
    // the batch is written again, merging
    JsonArray results = results(api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("id", t).put("name", "revived")),
        span(new JsonObject().put("id", "s1").put("trace_id", t).put("output_tokens", 3)),
        span(new JsonObject().put("id", "s2").put("trace_id", t).put("input_tokens", 1)))));
    assertThat(results.stream().map(r -> ((JsonObject) r).getInteger("status"))).containsOnly(201);
    JsonObject trace = read(t);
    assertThat(trace.getString("name")).isEqualTo("revived");
    assertThat(trace.getInteger("span_count")).isEqualTo(2);
    assertThat(trace.getLong("input_tokens")).isEqualTo(8);
    JsonObject s1 = trace.getJsonArray("spans").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("id").equals("s1")).findFirst().orElseThrow();
    assertThat(s1.getString("name")).isEqualTo("old");
    assertThat(s1.getLong("output_tokens")).isEqualTo(3);
  }

  @Test
  @DisplayName("makes up time-ordered ids for items sent without one")
  void generatedIds() {
    Response r = api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("name", "anonymous"))));
    String id = results(r).getJsonObject(0).getString("id");
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(read(id).getString("name")).isEqualTo("anonymous");
  }

  @Test
  @DisplayName("refuses per item and per field: long names, too many or too long tags, bad ids, bad times")
  void fieldLimits() {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 51; i++) {
      tooMany.add("t" + i);
    }
    Response r = api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("name", "x".repeat(513))),
        trace(new JsonObject().put("tags", tooMany)),
        trace(new JsonObject().put("tags", new JsonArray().add("y".repeat(201)))),
        trace(new JsonObject().put("id", "has space")),
        trace(new JsonObject().put("start_time", "yesterday")),
        trace(new JsonObject().put("start_time", "2026-01-02T00:00:00Z").put("end_time", "2026-01-01T00:00:00Z")),
        span(new JsonObject().put("trace_id", "t").put("input_tokens", -1)),
        span(new JsonObject().put("trace_id", "t").put("input_tokens", 1.5)),
        score(new JsonObject().put("trace_id", "t").put("name", "n")),
        trace(new JsonObject().put("name", "nul\u0000byte")),
        trace(new JsonObject().put("metadata", new JsonObject().put("k", "nul\u0000")))));
    JsonArray results = results(r);
    String[] fields = {"trace.name", "trace.tags", "trace.tags", "trace.id", "trace.start_time",
        "trace.end_time", "span.input_tokens", "span.input_tokens", "score.value", "trace.name",
        "trace.metadata"};
    for (int i = 0; i < fields.length; i++) {
      assertThat(results.getJsonObject(i).getInteger("status")).as("item " + i).isEqualTo(400);
      assertThat(results.getJsonObject(i).getString("error")).as("item " + i).startsWith(fields[i] + ":");
    }
    assertThat(api.get("/api/v1/traces?limit=1000", key).data().stream()
        .noneMatch(o -> "t".equals(((JsonObject) o).getString("id")))).isTrue();
  }

  @Test
  @DisplayName("stores JSON fields as sent, refusing an escaped NUL or a number beyond a double in them")
  void jsonFieldsAsSent() {
    String t = uid();
    String body = "{\"batch\":["
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"input\":{ \"q\" : \"h\\u00e9\", \"n\": [1.50, 2] },"
        + "\"metadata\":{\"k\":\"\\ud83d\\ude00\"},\"output\":\"plain\"}},"
        + "{\"type\":\"span\",\"body\":{\"id\":\"s1\",\"trace_id\":\"" + t + "\",\"input\":{\"k\":\"a\\u0000\"}}},"
        + "{\"type\":\"span\",\"body\":{\"id\":\"s2\",\"trace_id\":\"" + t + "\",\"output\":[1e400]}},"
        + "{\"type\":\"span\",\"body\":{\"id\":\"s3\",\"trace_id\":\"" + t + "\",\"attributes\":[1]}},"
        + "{\"type\":\"span\",\"body\":{\"id\":\"s4\",\"trace_id\":\"" + t + "\",\"attributes\":{\"a\":\"\\\\u0000\"}}}]}";
    JsonArray results = results(api.post("/api/v1/ingest", key, body));
    assertThat(results.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(results.getJsonObject(1).getString("error")).isEqualTo("span.input: must not contain NUL characters");
    assertThat(results.getJsonObject(2).getString("error"))
        .isEqualTo("span.output: must not hold a number beyond the range of a double");
    assertThat(results.getJsonObject(3).getString("error")).isEqualTo("span.attributes: must be an object");
    assertThat(results.getJsonObject(4).getInteger("status")).isEqualTo(201);
    JsonObject trace = read(t);
    assertThat(trace.getJsonObject("input")).isEqualTo(new JsonObject().put("q", "h\u00e9")
        .put("n", new JsonArray().add(1.50).add(2)));
    assertThat(trace.getJsonObject("metadata").getString("k")).isEqualTo("\ud83d\ude00");
    assertThat(trace.getString("output")).isEqualTo("plain");
    assertThat(trace.getJsonArray("spans").getJsonObject(0).getJsonObject("attributes").getString("a"))
        .isEqualTo("\\u0000");
  }

  @Test
  @DisplayName("shows no latency for an end before the start that two writes combine into, nor counts it in percentiles")
  void endBeforeStartAcrossWrites() {
    String own = api.newProjectKey();
    results(api.post("/api/v1/ingest", own, batch(
        trace(new JsonObject().put("id", "t").put("start_time", "2026-01-01T00:00:01Z")),
        span(new JsonObject().put("id", "s").put("trace_id", "t").put("model", "m")
            .put("start_time", "2026-01-01T00:00:01Z")))));
    results(api.post("/api/v1/ingest", own, batch(
        trace(new JsonObject().put("id", "t").put("end_time", "2026-01-01T00:00:00Z")),
        span(new JsonObject().put("id", "s").put("trace_id", "t").put("end_time", "2026-01-01T00:00:00Z")))));

    JsonObject trace = api.get("/api/v1/traces/t", own).json();
    assertThat(trace.getValue("latency_ms")).isNull();
    assertThat(trace.getJsonArray("spans").getJsonObject(0).getValue("latency_ms")).isNull();
    assertThat(api.get("/api/v1/traces?limit=1", own).data().getJsonObject(0).getValue("latency_ms")).isNull();
    for (String groupBy : new String[] {"none", "model"}) {
      JsonObject stats = api.get("/api/v1/traces/stats?group_by=" + groupBy, own).data().getJsonObject(0);
      assertThat(stats.getLong("trace_count")).isEqualTo(1);
      assertThat(stats.getJsonObject("latency_ms").getValue("p50")).as(groupBy).isNull();
    }
  }

  @Test
  @DisplayName("refuses a JSON field nested deeper than 64 levels as that item's error, keeping the others")
  void deepFields() {
    String t = uid();
    String deep = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
    String deepest = "[".repeat(64) + "1" + "]".repeat(64);
    String escaped = "{\"a\":".repeat(64) + "\"\\ud83d\\ude00\"" + "}".repeat(64);
    String body = "{\"batch\":["
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"input\":" + deep + "}},"
        + "{\"type\":\"span\",\"body\":{\"id\":\"s1\",\"trace_id\":\"" + t + "\",\"attributes\":{\"x\":" + deep + "}}},"
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"metadata\":{\"e\":" + escaped + "}}},"
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"output\":" + deepest + "}}]}";
    JsonArray results = results(api.post("/api/v1/ingest", key, body));
    assertThat(results.getJsonObject(0).getString("error"))
        .isEqualTo("trace.input: must be nested at most 64 levels deep");
    assertThat(results.getJsonObject(1).getString("error"))
        .isEqualTo("span.attributes: must be nested at most 64 levels deep");
    assertThat(results.getJsonObject(2).getString("error"))
        .isEqualTo("trace.metadata: must be nested at most 64 levels deep");
    assertThat(results.getJsonObject(3).getInteger("status")).isEqualTo(201);
    assertThat(read(t).getValue("output")).isInstanceOf(JsonArray.class);
  }

  @Test
  @DisplayName("refuses half of a surrogate pair in any string, which PostgreSQL would store as \"?\"")
  void unpairedSurrogates() {
    String t = uid();
    String body = "{\"batch\":["
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"name\":\"a\\ud800b\"}},"
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"tags\":[\"\\udc00\"]}},"
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"input\":{\"q\":\"\\ud800\"}}},"
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"metadata\":{\"\\ude00\":1}}},"
        + "{\"type\":\"trace\",\"body\":{\"id\":\"" + t + "\",\"name\":\"a \\ud83d\\ude00\"}}]}";
    JsonArray results = results(api.post("/api/v1/ingest", key, body));
    String[] fields = {"trace.name", "trace.tags", "trace.input", "trace.metadata"};
    for (int i = 0; i < fields.length; i++) {
      assertThat(results.getJsonObject(i).getString("error")).as("item " + i)
          .isEqualTo(fields[i] + ": must be valid Unicode: it holds half of a surrogate pair");
    }
    assertThat(results.getJsonObject(4).getInteger("status")).isEqualTo(201);
    JsonObject trace = read(t);
    assertThat(trace.getString("name")).isEqualTo("a \ud83d\ude00");
    assertThat(trace.getValue("input")).isNull();
    assertThat(trace.getJsonArray("tags")).isEmpty();
  }

  @Test
  @DisplayName("counts the characters of a limit as people do: an emoji is one")
  void charactersNotChars() {
    String emoji = "\ud83d\ude00";
    JsonArray results = results(api.post("/api/v1/ingest", key, batch(
        trace(new JsonObject().put("name", emoji.repeat(512)).put("tags", new JsonArray().add(emoji.repeat(200)))),
        trace(new JsonObject().put("name", emoji.repeat(513))))));
    assertThat(results.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(results.getJsonObject(1).getString("error")).isEqualTo("trace.name: must be at most 512 characters");
    String id = results.getJsonObject(0).getString("id");
    assertThat(read(id).getString("name")).isEqualTo(emoji.repeat(512));
  }

  @Test
  @DisplayName("stops token sums at the largest bigint rather than fail, and bounds costs so that sums stay finite")
  void hugeTotals() {
    String t = uid();
    long maxTokens = 1L << 53;
    for (int batch = 0; batch < 2; batch++) {
      JsonObject[] spans = new JsonObject[batch == 0 ? 1000 : 100]; // 1 100 × 2^53 > 2^63
      for (int i = 0; i < spans.length; i++) {
        spans[i] = span(new JsonObject().put("id", "s" + batch + "-" + i).put("trace_id", t)
            .put("model", "huge").put("input_tokens", maxTokens).put("cost_usd", 1e9));
      }
      JsonArray results = results(api.post("/api/v1/ingest", key, batch(spans)));
      assertThat(results.stream().map(r -> ((JsonObject) r).getInteger("status"))).containsOnly(201);
    }
    JsonObject trace = read(t);
    assertThat(trace.getLong("input_tokens")).isEqualTo(Long.MAX_VALUE);
    assertThat(trace.getDouble("total_cost")).isEqualTo(1.1e12);
    for (String groupBy : new String[] {"none", "model"}) {
      Response stats = api.get("/api/v1/traces/stats?group_by=" + groupBy, key);
      assertThat(stats.status()).as(stats.body()).isEqualTo(200);
      assertThat(stats.data().stream().mapToLong(g -> ((JsonObject) g).getLong("input_tokens")).max())
          .hasValue(Long.MAX_VALUE);
    }
    JsonArray refused = results(api.post("/api/v1/ingest", key, batch(
        span(new JsonObject().put("trace_id", t).put("cost_usd", 1e308)))));
    assertThat(refused.getJsonObject(0).getString("error"))
        .isEqualTo("span.cost_usd: must be between 0 and 1000000000");
  }

  @Test
  @DisplayName("refuses a body that is not UTF-8 as a whole, rather than store U+FFFD or what an overlong form imitates")
  void notUtf8() {
    byte[] overlongId = "{\"batch\":[{\"type\":\"trace\",\"body\":{\"id\":\"ol??\"}}]}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = new String(overlongId, java.nio.charset.StandardCharsets.UTF_8).indexOf("??");
    overlongId[at] = (byte) 0xc1; // C1 A1: an overlong "a"
    overlongId[at + 1] = (byte) 0xa1;
    byte[] surrogateInInput = "{\"batch\":[{\"type\":\"trace\",\"body\":{\"input\":{\"k\":\"???\"}}}]}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    at = new String(surrogateInInput, java.nio.charset.StandardCharsets.UTF_8).indexOf("???");
    surrogateInInput[at] = (byte) 0xed; // ED A0 80: a surrogate, which UTF-8 may not hold
    surrogateInInput[at + 1] = (byte) 0xa0;
    surrogateInInput[at + 2] = (byte) 0x80;
    for (byte[] body : new byte[][] {overlongId, surrogateInInput}) {
      Response r = api.send(api.request("/api/v1/ingest").header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
      assertProblem(r, 400);
      assertThat(r.json().getString("detail")).isEqualTo("The request body is not valid UTF-8");
    }
    assertProblem(api.get("/api/v1/traces/ola", key), 404);
  }

  @Test
  @DisplayName("refuses an invalid envelope as a whole: no batch, not an array, over 1000 items")
  void envelope() {
    assertProblem(api.post("/api/v1/ingest", key, new JsonObject()), 400);
    assertProblem(api.post("/api/v1/ingest", key, new JsonObject().put("batch", "nope")), 400);
    JsonArray items = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      items.add(trace(new JsonObject().put("name", "n")));
    }
    assertProblem(api.post("/api/v1/ingest", key, new JsonObject().put("batch", items)), 400);
  }

  @Test
  @DisplayName("takes exactly 1000 items in one batch")
  void thousandItems() {
    String t = uid();
    JsonArray items = new JsonArray().add(trace(new JsonObject().put("id", t)));
    for (int i = 0; i < 999; i++) {
      items.add(span(new JsonObject().put("id", "s" + i).put("trace_id", t).put("input_tokens", 1)));
    }
    Response r = api.post("/api/v1/ingest", key, new JsonObject().put("batch", items));
    assertThat(results(r)).hasSize(1000);
    assertThat(read(t).getInteger("span_count")).isEqualTo(999);
    assertThat(read(t).getLong("input_tokens")).isEqualTo(999);
  }

  @Test
  @DisplayName("refuses a body over 5 MiB with 413, and a gzip bomb at the same limit")
  void bodyLimits() throws Exception {
    String big = new JsonObject().put("batch", new JsonArray()
        .add(trace(new JsonObject().put("input", "x".repeat(5 * 1024 * 1024 + 10))))).encode();
    assertProblem(api.post("/api/v1/ingest", key, big), 413);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      byte[] zeros = new byte[1 << 20];
      gz.write("{\"batch\":[{\"type\":\"trace\",\"body\":{\"input\":\"".getBytes());
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    assertThat(bytes.size()).isLessThan(200_000);
    Response bomb = api.send(api.request("/api/v1/ingest").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build());
    assertProblem(bomb, 413);
  }

  @Test
  @DisplayName("accepts a gzip-compressed batch")
  void gzipBatch() throws Exception {
    String t = uid();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(batch(trace(new JsonObject().put("id", t).put("name", "zipped"))).encode().getBytes());
    }
    Response r = api.send(api.request("/api/v1/ingest").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build());
    assertThat(results(r).getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(read(t).getString("name")).isEqualTo("zipped");
  }

  @Test
  @DisplayName("needs an API key")
  void needsKey() {
    assertProblem(api.post("/api/v1/ingest", null, batch()), 401);
    assertProblem(api.post("/api/v1/ingest", api.newSession(), batch()), 401);
  }
}
