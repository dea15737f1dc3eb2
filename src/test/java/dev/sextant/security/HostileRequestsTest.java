package dev.sextant.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Batches;
import dev.sextant.support.Injected;
import dev.sextant.support.Problems;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property-style tests over every JSON endpoint that takes a body and over the query strings,
 * cursors and path ids of every read: whatever is sent, the answer is a success or a 4xx
 * problem+json, never a 5xx or a dropped connection, and a refused request stores nothing.
 *
 * <p>Seeded: the seed is printed, and {@code -Dsextant.fuzz.seed=N} replays a run;
 * {@code -Dsextant.fuzz.cases=N} sets the cases per endpoint (default 100), and
 * {@code -Dsextant.fuzz.only=TEXT} runs only the endpoints whose name ("POST /v1/traces") contains it.
 */
@ExtendWith(ServerExtension.class)
@DisplayName("Hostile requests")
class HostileRequestsTest {

  private static final long SEED = Long.getLong("sextant.fuzz.seed", new Random().nextLong());
  private static final int CASES = Integer.getInteger("sextant.fuzz.cases", 100);
  private static final int MAX_REPORTED = 5;
  /** Runs only the endpoints whose name contains this (to replay one). */
  private static final String ONLY = System.getProperty("sextant.fuzz.only", "");

  @Injected private static TestServer server;
  @Injected private static ApiClient api;

  private static StoredState stored;
  private static String session;
  private static String project;
  private static String key;
  private static String dataset;
  private static String experiment;
  private static final String CONFIG = "fuzz-config";
  private static final AtomicInteger total = new AtomicInteger();

  /** An endpoint that takes a JSON body, with a body it accepts. */
  private record BodyFamily(String method, String path, Supplier<String> token, JsonObject valid) {}

  /** A read, with the query parameters it knows and a plausible value of each. */
  private record QueryFamily(String path, Supplier<String> token, Map<String, List<String>> params) {}

  @BeforeAll
  static void fixtures() throws Exception {
    System.out.println("[fuzz] seed " + SEED + " (replay with -Dsextant.fuzz.seed=" + SEED + "), "
        + CASES + " cases per endpoint");
    stored = new StoredState(server.databaseUrl());
    session = api.newSession();
    project = api.newProject(session, "fuzz");
    key = api.newApiKey(session, project);
    api.newApiKey(session, project);
    api.newProject(session, "fuzz 2");
    dataset = created(api.post("/api/v1/datasets", key, new JsonObject().put("name", "fuzz")));
    created(api.post("/api/v1/datasets", key, new JsonObject().put("name", "fuzz 2")));
    JsonArray items = new JsonArray();
    for (int i = 0; i < 3; i++) {
      items.add(new JsonObject().put("id", "i" + i).put("input", "q" + i).put("expected_output", "a" + i));
    }
    assertThat(api.post("/api/v1/datasets/" + dataset + "/items", key, new JsonObject().put("items", items))
        .status()).isEqualTo(201);
    // no evaluators: no background job writes to what the checks read
    experiment = created(api.post("/api/v1/experiments", key,
        new JsonObject().put("name", "fuzz").put("dataset_id", dataset)));
    JsonArray results = new JsonArray();
    for (int i = 0; i < 3; i++) {
      results.add(new JsonObject().put("item_id", "i" + i).put("output", "a" + i));
    }
    assertThat(api.post("/api/v1/experiments/" + experiment + "/results", key,
        new JsonObject().put("results", results)).status()).isEqualTo(207);
    for (int i = 0; i < 2; i++) {
      assertThat(api.post("/api/v1/model-configs", key, modelConfig(CONFIG)).status()).isEqualTo(201);
      assertThat(api.post("/api/v1/model-configs", key, modelConfig(CONFIG + i)).status()).isEqualTo(201);
    }
    assertThat(api.post("/api/v1/ingest", key, ingestBatch()).status()).isEqualTo(207);
    assertThat(api.post("/api/v1/ingest", key, ingestBatch()).status()).isEqualTo(207);
  }

  @AfterAll
  static void countCases() throws Exception {
    System.out.println("[fuzz] " + total.get() + " hostile requests in all, seed " + SEED);
    stored.close();
  }

  static List<BodyFamily> bodyFamilies() {
    return List.of(
        new BodyFamily("POST", "/api/v1/auth/signup", () -> null, new JsonObject()
            .put("email", "f@example.com").put("password", "correct horse battery").put("name", "F")),
        new BodyFamily("POST", "/api/v1/auth/login", () -> null, new JsonObject()
            .put("email", "f@example.com").put("password", "correct horse battery")),
        new BodyFamily("POST", "/api/v1/projects", () -> session,
            new JsonObject().put("name", "p").put("retention_days", 30)),
        new BodyFamily("POST", "/api/v1/projects/" + project + "/api-keys", () -> session,
            new JsonObject().put("name", "k")),
        new BodyFamily("POST", "/api/v1/ingest", () -> key, ingestBatch()),
        new BodyFamily("POST", "/v1/traces", () -> key, otlpExport()),
        new BodyFamily("POST", "/api/v1/model-configs", () -> key, modelConfig("fuzz-new")),
        new BodyFamily("PUT", "/api/v1/model-configs/" + CONFIG + "/labels/prod", () -> key,
            new JsonObject().put("version", 1)),
        new BodyFamily("POST", "/api/v1/datasets", () -> key,
            new JsonObject().put("name", "d").put("description", "x")),
        new BodyFamily("POST", "/api/v1/datasets/" + dataset + "/items", () -> key, new JsonObject()
            .put("items", new JsonArray().add(new JsonObject().put("id", "i9").put("input", "q")
                .put("expected_output", new JsonObject().put("a", 1)).put("metadata", new JsonObject())))),
        new BodyFamily("POST", "/api/v1/experiments", () -> key, new JsonObject().put("name", "e")
            .put("dataset_id", dataset).put("model_config", new JsonObject().put("name", CONFIG).put("version", 1))
            .put("evaluators", new JsonArray()
                .add(new JsonObject().put("name", "re").put("type", "regex").put("params", new JsonObject().put("pattern", "a")))
                .add(new JsonObject().put("name", "num").put("type", "numeric_tolerance").put("params", new JsonObject().put("tolerance", 0.1))))
            .put("metadata", new JsonObject().put("k", "v"))),
        new BodyFamily("POST", "/api/v1/experiments/" + experiment + "/results", () -> key, new JsonObject()
            .put("results", new JsonArray().add(new JsonObject().put("item_id", "i1").put("output", "a1")
                .put("trace_id", "t1").put("latency_ms", 12).put("input_tokens", 3).put("output_tokens", 4)
                .put("cost_usd", 0.001).put("scores", new JsonObject().put("q", 0.5))))));
  }

  static List<QueryFamily> queryFamilies() {
    List<String> cursor = List.of("CURSOR");
    List<String> limit = List.of("1", "2", "50", "1000");
    List<String> time = List.of("2026-01-01T00:00:00Z", "2026-11-26T20:18:38.123+02:00", "1700000000000000000");
    return List.of(
        new QueryFamily("/api/v1/traces", () -> key, Map.of("from", time, "to", time,
            "name", List.of("chat"), "user_id", List.of("u"), "session_id", List.of("s"), "tag", List.of("prod", "a"),
            "status", List.of("ok", "error"), "release", List.of("1.0"), "limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/traces/stats", () -> key, Map.of("from", time, "to", time,
            "group_by", List.of("none", "name", "model", "user_id", "release"))),
        new QueryFamily("/api/v1/datasets", () -> key, Map.of("limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/datasets/" + dataset + "/items", () -> key, Map.of("limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/experiments/" + experiment + "/results", () -> key,
            Map.of("limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/experiments/compare", () -> key,
            Map.of("ids", List.of(experiment + "," + experiment, experiment, experiment + ",", ","))),
        new QueryFamily("/api/v1/model-configs", () -> key, Map.of("limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/model-configs/" + CONFIG, () -> key,
            Map.of("version", List.of("1", "2"), "label", List.of("prod", "latest"))),
        new QueryFamily("/api/v1/model-configs/" + CONFIG + "/versions", () -> key,
            Map.of("limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/dashboard", () -> key, Map.of("window", List.of("1h", "24h", "7d", "30d"))),
        new QueryFamily("/api/v1/projects", () -> session, Map.of("limit", limit, "cursor", cursor)),
        new QueryFamily("/api/v1/projects/" + project + "/api-keys", () -> session,
            Map.of("limit", limit, "cursor", cursor)));
  }

  /** Reads whose path carries an id: the id is the hostile part. */
  static List<String> idPaths() {
    return List.of("/api/v1/traces/{}", "/api/v1/datasets/{}", "/api/v1/datasets/{}/items",
        "/api/v1/experiments/{}", "/api/v1/experiments/{}/results", "/api/v1/model-configs/{}",
        "/api/v1/model-configs/{}/versions", "/api/v1/projects/{}/api-keys");
  }

  @TestFactory
  @DisplayName("bodies: every JSON endpoint answers 2xx or a 4xx problem, and a refused body stores nothing")
  Stream<DynamicTest> bodies() {
    List<BodyFamily> families = bodyFamilies();
    List<DynamicTest> tests = new ArrayList<>();
    for (int f = 0; f < families.size(); f++) {
      BodyFamily family = families.get(f);
      int index = f;
      tests.add(DynamicTest.dynamicTest(family.method() + " " + family.path(), () -> run(
          family.method() + " " + family.path(), index, random -> bodyCase(family, random))));
    }
    return tests.stream();
  }

  @TestFactory
  @DisplayName("query strings and cursors: every read answers 2xx or a 4xx problem and stores nothing")
  Stream<DynamicTest> queries() {
    List<QueryFamily> families = queryFamilies();
    List<DynamicTest> tests = new ArrayList<>();
    for (int f = 0; f < families.size(); f++) {
      QueryFamily family = families.get(f);
      int index = 100 + f;
      String real = realCursor(family);
      tests.add(DynamicTest.dynamicTest("GET " + family.path(), () -> run("GET " + family.path(), index,
          random -> queryCase(family, real, random))));
    }
    List<String> ids = idPaths();
    for (int f = 0; f < ids.size(); f++) {
      String template = ids.get(f);
      int index = 200 + f;
      tests.add(DynamicTest.dynamicTest("GET " + template, () -> run("GET " + template, index,
          random -> idCase(template, random))));
      if (template.equals("/api/v1/traces/{}")) {
        tests.add(DynamicTest.dynamicTest("DELETE " + template, () -> run("DELETE " + template, 300,
            random -> send("DELETE", template.replace("{}", hostileId(random)), key, null, null))));
      }
    }
    return tests.stream();
  }

  /** One hostile request: what was sent (for the report) and the answer. */
  private record Case(String sent, Response response) {}

  private void run(String name, int family, java.util.function.Function<Random, Case> make) {
    if (!name.contains(ONLY)) {
      return;
    }
    List<String> failures = new ArrayList<>();
    int[] byClass = new int[6];
    for (int i = 0; i < CASES; i++) {
      Random random = new Random(SEED * 1_000_003L + family * 65_537L + i);
      Map<String, String> before = stored.read();
      String sent = "?";
      Response r = null;
      try {
        Case c = make.apply(random);
        sent = c.sent();
        r = c.response();
        byClass[r.status() / 100]++;
        assertThat(r.status()).as("status").isLessThan(500);
        if (r.status() >= 400) {
          if (name.startsWith("POST /v1/traces") && r.status() == 400) {
            // OTLP's own error: a google.rpc.Status in the request's encoding
            assertThat(r.header("Content-Type")).isIn("application/json", "application/x-protobuf");
          } else {
            Problems.assertProblem(r, r.status());
          }
          assertThat(stored.read()).as("stored rows after a refused request").isEqualTo(before);
        }
        if (name.startsWith("GET ")) {
          assertThat(stored.read()).as("stored rows after a read").isEqualTo(before);
        }
      } catch (AssertionError | RuntimeException e) {
        if (failures.size() < MAX_REPORTED) {
          String answered = r == null ? "" : "\n  <- " + r.status() + " " + r.header("Content-Type")
              + " " + r.body().substring(0, Math.min(300, r.body().length()));
          failures.add("case " + i + " (seed " + SEED + "): " + sent + answered + "\n  -> " + e.getMessage());
        }
      }
      total.incrementAndGet();
    }
    System.out.printf("[fuzz] %-55s %d cases: %d 2xx, %d 4xx, %d 5xx%n", name, CASES, byClass[2],
        byClass[4], byClass[5]);
    assertThat(failures).as(name).isEmpty();
  }

  private static Case bodyCase(BodyFamily family, Random random) {
    Hostile.Body body = Hostile.body(random, family.valid());
    String sent = body.recipe() + " :: " + body.preview();
    try {
      return new Case(sent, send(family.method(), family.path(), family.token().get(), body.bytes(),
          body.contentType(), body.contentEncoding()).response());
    } catch (AssertionError e) {
      throw new AssertionError(sent + "\n  -> " + e.getMessage(), e);
    }
  }

  private static Case queryCase(QueryFamily family, String realCursor, Random random) {
    List<String> names = new ArrayList<>(family.params().keySet());
    names.sort(null);
    List<String> pairs = new ArrayList<>();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      String name = random.nextInt(8) == 0
          ? Hostile.pick(random, "foo", "LIMIT", "limit[]", "cursor%20", "", "%00", "a%5B%5D")
          : names.get(random.nextInt(names.size()));
      String value;
      if (name.equals("cursor")) {
        value = realCursor == null ? Hostile.queryValue(random)
            : Hostile.percent(Hostile.cursor(random, realCursor).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } else if (random.nextInt(10) < 6 || !family.params().containsKey(name)) {
        value = Hostile.queryValue(random);
      } else {
        List<String> plausible = family.params().get(name);
        value = Hostile.percent(plausible.get(random.nextInt(plausible.size()))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      pairs.add(random.nextInt(20) == 0 ? name : name + "=" + value);
    }
    String path = family.path() + (pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    return send("GET", path, family.token().get(), null, null);
  }

  private static Case idCase(String template, Random random) {
    String token = template.startsWith("/api/v1/projects/") ? session : key;
    return send("GET", template.replace("{}", hostileId(random)), token, null, null);
  }

  private static String hostileId(Random random) {
    String id = Hostile.percent(Hostile.string(random).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (random.nextInt(4) == 0) {
      // not "." or "..": clients and the router alike remove dot segments (RFC 3986), so those
      // ask for another route, not for an id
      id = Hostile.pick(random, "%00", "%FF", "%ED%A0%80", "%C0%80", "%2E%2E", "stats",
          "compare", UUID.randomUUID().toString(), "00000000-0000-0000-0000-000000000000", "%2F");
    }
    return id.isEmpty() ? "%20" : id;
  }

  private static Case send(String method, String path, String token, byte[] body, String contentType) {
    return send(method, path, token, body, contentType, null);
  }

  private static Case send(String method, String path, String token, byte[] body, String contentType,
      String contentEncoding) {
    HttpRequest.Builder b = api.request(path);
    if (contentEncoding != null) {
      b.header("Content-Encoding", contentEncoding);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    String sent = method + " " + path;
    try {
      return new Case(sent, api.send(b.method(method, publisher).build()));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(sent + ": " + e.getMessage(), e);
    }
  }

  /** A cursor the family's read made (first page of one row), or null when it pages nothing. */
  private static String realCursor(QueryFamily family) {
    if (!family.params().containsKey("cursor")) {
      return null;
    }
    Response r = api.get(family.path() + "?limit=1", family.token().get());
    assertThat(r.status()).as(family.path() + ": " + r.body()).isEqualTo(200);
    // a list that is answered whole (no next page) still gets cursors: hostile ones alone
    return r.json().getString("next_cursor");
  }

  private static JsonObject ingestBatch() {
    String trace = "t-" + UUID.randomUUID();
    return Batches.batch(
        Batches.trace(new JsonObject().put("id", trace).put("name", "chat").put("user_id", "u9")
            .put("session_id", "s1").put("tags", new JsonArray().add("prod")).put("metadata", new JsonObject())
            .put("input", new JsonObject().put("q", "hi")).put("output", new JsonObject()).put("release", "1.4.0")
            .put("start_time", "2026-11-26T20:18:38.123Z").put("end_time", "2026-11-26T20:18:39.123Z")
            .put("status", "ok")),
        Batches.span(new JsonObject().put("id", "s-" + UUID.randomUUID()).put("trace_id", trace)
            .putNull("parent_id").put("name", "llm-call").put("kind", "llm")
            .put("start_time", "2026-11-26T20:18:38.200Z").put("end_time", "2026-11-26T20:18:38.900Z")
            .put("status", "ok").putNull("status_message").put("model", "gpt-4o").put("input_tokens", 812)
            .put("output_tokens", 96).put("cost_usd", 0.0031).put("input", new JsonObject())
            .put("output", new JsonObject()).put("attributes", new JsonObject().put("a", 1))),
        Batches.score(new JsonObject().put("id", "sc-" + UUID.randomUUID()).put("trace_id", trace)
            .put("name", "helpfulness").put("value", 0.8).put("source", "human").put("comment", "c")));
  }

  private static JsonObject otlpExport() {
    JsonObject span = new JsonObject().put("traceId", "5b8efff798038103d269b633813fc60c")
        .put("spanId", "eee19b7ec3c1b174").put("parentSpanId", "").put("name", "chat")
        .put("kind", 1).put("startTimeUnixNano", "1764188318123000000").put("endTimeUnixNano", "1764188319123000000")
        .put("attributes", new JsonArray()
            .add(new JsonObject().put("key", "gen_ai.request.model").put("value", new JsonObject().put("stringValue", "gpt-4o")))
            .add(new JsonObject().put("key", "gen_ai.usage.input_tokens").put("value", new JsonObject().put("intValue", "12"))))
        .put("status", new JsonObject().put("code", 2).put("message", "boom"));
    return new JsonObject().put("resourceSpans", new JsonArray().add(new JsonObject()
        .put("resource", new JsonObject().put("attributes", new JsonArray()
            .add(new JsonObject().put("key", "service.name").put("value", new JsonObject().put("stringValue", "svc")))))
        .put("scopeSpans", new JsonArray().add(new JsonObject().put("scope", new JsonObject().put("name", "s"))
            .put("spans", new JsonArray().add(span))))));
  }

  private static JsonObject modelConfig(String name) {
    return new JsonObject().put("name", name).put("provider", "openai").put("model", "gpt-4o")
        .put("parameters", new JsonObject().put("temperature", 0.2)).put("prompt_template", "Hi {{x}}")
        .put("labels", new JsonArray().add("prod"));
  }

  private static String created(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }
}
