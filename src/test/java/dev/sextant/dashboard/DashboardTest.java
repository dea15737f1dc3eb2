package dev.sextant.dashboard;

import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.Batches;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.RollupsFolded;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestInfra;
import dev.sextant.rollups.LatencySketch;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The dashboard")
@ExtendWith(ServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

  private static final String[] NAMES = {"chat", "search", "summarize", "embed"};
  private static final String[] MODELS = {"gpt-4o", "claude-3", "llama-3"};
  private static final int TRACES = 800;

  @Injected private static TestServer server;
  @Injected private static ApiClient api;
  @ProjectKey private static String key;
  @ProjectKey private static String otherKey;
  private static String project;
  private static String otherProject;
  /** The first trace's start: every seeded time lies within the last hour. */
  private static Instant base;

  @BeforeAll
  static void seed() {
    project = api.get("/api/v1/project", key).json().getString("id");
    otherProject = api.get("/api/v1/project", otherKey).json().getString("id");
    base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(50));
    List<JsonObject> items = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      items.addAll(seededTrace(i));
    }
    ingest(key, items);
    // another project, at the same times: never counted in the first one's dashboard
    List<JsonObject> others = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      others.addAll(seededTrace(i));
    }
    ingest(otherKey, others);
    RollupsFolded.await(server.databaseUrl(), project);
    RollupsFolded.await(server.databaseUrl(), otherProject);
  }

  /** Trace i: 3 s after the one before, a latency of 200 + i ms, two spans. */
  private static List<JsonObject> seededTrace(int i) {
    Instant start = base.plusSeconds(3L * i);
    double latency = 200 + i;
    JsonObject body = new JsonObject().put("id", "t" + i)
        .put("start_time", start.toString())
        .put("end_time", start.plusNanos((long) (latency * 1_000_000)).toString())
        .put("status", i % 10 == 0 ? "error" : "ok");
    if (i % 25 != 0) {
      body.put("name", NAMES[i % NAMES.length]);
    }
    List<JsonObject> items = new ArrayList<>();
    items.add(trace(body));
    items.add(span(spanBody("t" + i, "s0", start.plusMillis(1), latency / 2, MODELS[i % 3],
        i, 10, 0.001 * (i % 7))));
    items.add(span(spanBody("t" + i, "s1", start.plusMillis(2), latency / 3,
        i % 5 == 0 ? null : "gpt-4o-mini", 2L * i, 20, 0.0005)));
    return items;
  }

  private static JsonObject spanBody(String traceId, String id, Instant start, double ms,
      String model, long inputTokens, long outputTokens, double cost) {
    JsonObject span = new JsonObject().put("id", id).put("trace_id", traceId).put("name", "call")
        .put("kind", "llm").put("start_time", start.toString())
        .put("end_time", start.plusNanos((long) (ms * 1_000_000)).toString())
        .put("input_tokens", inputTokens).put("output_tokens", outputTokens).put("cost_usd", cost);
    if (model != null) {
      span.put("model", model);
    }
    return span;
  }

  private static void ingest(String apiKey, List<JsonObject> items) {
    Batches.ingestAll(api, apiKey, items);
  }

  private static JsonObject dashboard(String apiKey, String window) {
    Response r = api.get("/api/v1/dashboard" + (window == null ? "" : "?window=" + window), apiKey);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  @Order(1)
  @DisplayName("equals a direct computation over the raw rows, for every window")
  void equalsRawRows() throws SQLException {
    for (String window : List.of("1h", "24h", "7d", "30d")) {
      assertMatchesRawRows(window);
    }
  }

  @Test
  @Order(2)
  @DisplayName("stays exact after updates, late spans, out-of-order arrival, a moved span and deleted traces")
  void exactAfterChanges() throws SQLException {
    List<JsonObject> items = new ArrayList<>();
    // updates: moved 7 minutes later and renamed (old minute and name lose them)
    for (int i = 1; i < 20; i++) {
      Instant start = base.plusSeconds(3L * i).plus(Duration.ofMinutes(7));
      items.add(trace(new JsonObject().put("id", "t" + i).put("name", "renamed")
          .put("start_time", start.toString())
          .put("end_time", start.plusMillis(900 + i).toString())));
    }
    // late spans: failed calls of a new model added to existing traces
    for (int i = 20; i < 40; i++) {
      items.add(span(spanBody("t" + i, "late", base.plusSeconds(3L * i).plusMillis(5), 30,
          "late-model", 7, 7, 0.01).put("status", "error")));
    }
    // traces known only by their spans: their start is their first span's...
    for (int i = 0; i < 10; i++) {
      items.add(span(spanBody("o" + i, "a", base.plus(Duration.ofMinutes(30)).plusSeconds(i), 100,
          "gpt-4o", 1, 1, 0.001)));
    }
    // a span re-sent with another start and model
    items.add(span(new JsonObject().put("id", "s0").put("trace_id", "t45")
        .put("start_time", base.plus(Duration.ofMinutes(3)).toString())
        .put("end_time", base.plus(Duration.ofMinutes(3)).plusMillis(40).toString())
        .put("model", "moved-model")));
    ingest(key, items);

    List<JsonObject> later = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // ...until an earlier span arrives late (the trace moves to its minute)
      later.add(span(spanBody("o" + i, "b", base.plus(Duration.ofMinutes(12)), 50, "gpt-4o", 1, 1,
          0.001)));
    }
    for (int i = 5; i < 10; i++) {
      // ...or the trace itself arrives after them, with its own earlier start
      Instant start = base.plus(Duration.ofMinutes(20)).plusSeconds(i);
      later.add(trace(new JsonObject().put("id", "o" + i).put("name", "chat")
          .put("start_time", start.toString()).put("end_time", start.plusMillis(700).toString())));
    }
    ingest(key, later);
    for (int i = 40; i < 45; i++) {
      assertThat(api.delete("/api/v1/traces/t" + i, key).status()).isEqualTo(204);
    }
    RollupsFolded.await(server.databaseUrl(), project);
    for (String window : List.of("1h", "24h", "7d", "30d")) {
      assertMatchesRawRows(window);
    }
  }

  @ParameterizedTest(name = "window={0}")
  @ValueSource(strings = {"1h", "24h", "7d", "30d"})
  @Order(3)
  @DisplayName("has one point per bucket of the window, oldest first, the last one holding now")
  void bucketsOfEachWindow(String param) {
    Window window = Window.BY_PARAM.get(param);
    Instant before = Instant.now();
    JsonObject d = dashboard(key, param);
    Instant after = Instant.now();
    assertThat(d.getString("window")).isEqualTo(param);
    assertThat(d.getInteger("bucket_seconds")).isEqualTo(window.bucketSeconds());
    JsonArray series = d.getJsonArray("series");
    assertThat(series).hasSize(window.buckets());
    for (int i = 1; i < series.size(); i++) {
      Instant previous = Instant.parse(series.getJsonObject(i - 1).getString("ts"));
      assertThat(Instant.parse(series.getJsonObject(i).getString("ts")))
          .isEqualTo(previous.plusSeconds(window.bucketSeconds()));
    }
    Instant last = Instant.parse(series.getJsonObject(series.size() - 1).getString("ts"));
    assertThat(last).isIn(window.lastBucket(before), window.lastBucket(after));
  }

  @Test
  @Order(4)
  @DisplayName("is the 24h window when none is asked for")
  void defaultWindow() {
    assertThat(dashboard(key, null).getString("window")).isEqualTo("24h");
    assertThat(dashboard(key, "").getString("window")).isEqualTo("24h");
  }

  @ParameterizedTest(name = "window={0}")
  @ValueSource(strings = {"2h", "1H", "all", "24"})
  @Order(5)
  @DisplayName("refuses an unknown window with a 400 naming the field")
  void unknownWindow(String window) {
    Response r = api.get("/api/v1/dashboard?window=" + window, key);
    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("window");
  }

  @Test
  @Order(6)
  @DisplayName("needs an API key")
  void needsKey() {
    assertProblem(api.get("/api/v1/dashboard", null), 401);
  }

  @Test
  @Order(7)
  @DisplayName("of another project counts only that project's traces")
  void projectIsolation() throws SQLException {
    JsonObject d = dashboard(otherKey, "1h");
    assertThat(d.getJsonObject("totals").getLong("traces")).isEqualTo(30);
    assertThat(d.getJsonObject("totals").getLong("traces"))
        .isEqualTo(sqlLong("SELECT count(*) FROM traces WHERE project_id = ?::uuid", otherProject));
    assertMatchesRawRows("1h");
  }

  @Test
  @Order(8)
  @DisplayName("publishes the roll-up lag, 0 once every mark is folded in")
  void lagGauge() {
    RollupsFolded.await(server.databaseUrl(), project);
    RollupsFolded.await(server.databaseUrl(), otherProject);
    Await.until(Duration.ofSeconds(30), () -> {
      String metrics = api.get("/metrics", null).body();
      return metrics.contains("sextant_dashboard_rollup_lag_seconds 0.0");
    }, "the lag gauge to read 0");
  }

  @Test
  @Order(9)
  @DisplayName("is answered from the cache while the project's roll-ups stay as they are")
  void cachedUntilTheRollupsChange() {
    JsonObject first = dashboard(key, "7d");
    double hits = cacheHits();
    // roll-ups of another project change: this one's cached answer stays current
    ingest(otherKey, seededTrace(500));
    RollupsFolded.await(server.databaseUrl(), otherProject);
    assertThat(dashboard(key, "7d")).isEqualTo(first);
    assertThat(cacheHits()).isGreaterThan(hits);
  }

  private static double cacheHits() {
    return api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("sextant_cache_hits_total{") && l.contains("cache=\"dashboard\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** The dashboard of {@code param} equals what SQL computes over the project's raw rows. */
  private static void assertMatchesRawRows(String param) throws SQLException {
    Window window = Window.BY_PARAM.get(param);
    JsonObject d = dashboard(key, param);
    // every seeded time lies within the last hour, so within every window
    JsonObject totals = d.getJsonObject("totals");
    Raw raw = rawTotals();
    assertThat(totals.getLong("traces")).as(param).isEqualTo(raw.traces);
    assertThat(totals.getLong("errors")).as(param).isEqualTo(raw.errors);
    assertThat(totals.getLong("input_tokens")).as(param).isEqualTo(raw.inputTokens);
    assertThat(totals.getLong("output_tokens")).as(param).isEqualTo(raw.outputTokens);
    assertThat(totals.getDouble("cost")).as(param).isCloseTo(raw.cost, within(1e-9));
    assertWithinBound(totals.getDouble("latency_p50_ms"), raw.p50, param + " p50");
    assertWithinBound(totals.getDouble("latency_p95_ms"), raw.p95, param + " p95");

    Map<Instant, long[]> rawSeries = rawSeries(window.bucketSeconds());
    Map<Instant, long[]> series = new LinkedHashMap<>();
    for (Object o : d.getJsonArray("series")) {
      JsonObject point = (JsonObject) o;
      if (point.getLong("traces") > 0) {
        series.put(Instant.parse(point.getString("ts")), new long[] {point.getLong("traces"),
            point.getLong("errors"), point.getLong("input_tokens"), point.getLong("output_tokens")});
      } else {
        assertThat(point.getValue("latency_p50_ms")).isNull();
      }
    }
    assertThat(series.keySet()).as(param).containsExactlyElementsOf(rawSeries.keySet());
    rawSeries.forEach((ts, figures) -> assertThat(series.get(ts)).as(param + " " + ts)
        .containsExactly(figures));

    JsonArray topModels = d.getJsonArray("top_models");
    JsonArray rawModels = rawTopModels();
    assertThat(topModels).as(param).hasSize(rawModels.size());
    for (int i = 0; i < rawModels.size(); i++) {
      JsonObject model = topModels.getJsonObject(i);
      JsonObject expected = rawModels.getJsonObject(i);
      assertThat(model.getDouble("cost")).as(param + " " + model)
          .isCloseTo(expected.getDouble("cost"), within(1e-9));
      assertThat(model.copy().put("cost", 0)).as(param).isEqualTo(expected.copy().put("cost", 0));
    }
    JsonArray topTraces = d.getJsonArray("top_traces");
    List<Object[]> rawTraces = rawTopTraces();
    assertThat(topTraces).hasSize(rawTraces.size());
    for (int i = 0; i < rawTraces.size(); i++) {
      JsonObject name = topTraces.getJsonObject(i);
      assertThat(name.getString("name")).isEqualTo(rawTraces.get(i)[0]);
      assertThat(name.getLong("count")).isEqualTo(rawTraces.get(i)[1]);
      assertWithinBound(name.getDouble("p95_ms"), (Double) rawTraces.get(i)[2], "p95 of " + name);
    }
  }

  private static void assertWithinBound(Double sketched, Double exact, String what) {
    assertThat(sketched).as(what).isNotNull();
    assertThat(Math.abs(sketched - exact)).as(what + ": " + sketched + " against " + exact)
        .isLessThanOrEqualTo(LatencySketch.ERROR_BOUND * exact);
  }

  private record Raw(long traces, long errors, long inputTokens, long outputTokens, double cost,
      Double p50, Double p95) {}

  private static final String LATENCY =
      "date_part('epoch', COALESCE(end_time, span_end) - COALESCE(start_time, span_start)) * 1000";

  private static Raw rawTotals() throws SQLException {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement("""
            SELECT count(*), count(*) FILTER (WHERE is_error), sum(input_tokens),
                   sum(output_tokens), sum(total_cost),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY lat) FILTER (WHERE lat >= 0),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY lat) FILTER (WHERE lat >= 0)
              FROM (SELECT *, %s AS lat FROM traces WHERE project_id = ?::uuid) t""".formatted(LATENCY))) {
      st.setString(1, project);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new Raw(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5),
            rs.getDouble(6), rs.getDouble(7));
      }
    }
  }

  private static Map<Instant, long[]> rawSeries(int bucketSeconds) throws SQLException {
    Map<Instant, long[]> series = new LinkedHashMap<>();
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement("""
            SELECT date_bin(make_interval(secs => ?), sort_time, timestamptz '1970-01-01Z') AS b,
                   count(*), count(*) FILTER (WHERE is_error), sum(input_tokens), sum(output_tokens)
              FROM traces WHERE project_id = ?::uuid GROUP BY b ORDER BY b""")) {
      st.setInt(1, bucketSeconds);
      st.setString(2, project);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          series.put(rs.getTimestamp(1).toInstant(),
              new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
        }
      }
    }
    return series;
  }

  private static JsonArray rawTopModels() throws SQLException {
    JsonArray models = new JsonArray();
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement("""
            SELECT model, count(*) AS calls, COALESCE(sum(input_tokens), 0),
                   COALESCE(sum(output_tokens), 0), COALESCE(sum(cost_usd), 0)
              FROM spans WHERE project_id = ?::uuid AND model IS NOT NULL
             GROUP BY model ORDER BY calls DESC, model LIMIT 10""")) {
      st.setString(1, project);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          models.add(new JsonObject().put("model", rs.getString(1)).put("calls", rs.getLong(2))
              .put("input_tokens", rs.getLong(3)).put("output_tokens", rs.getLong(4))
              .put("cost", rs.getDouble(5)));
        }
      }
    }
    return models;
  }

  private static List<Object[]> rawTopTraces() throws SQLException {
    List<Object[]> names = new ArrayList<>();
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement("""
            SELECT name, count(*) AS n,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY lat) FILTER (WHERE lat >= 0)
              FROM (SELECT *, %s AS lat FROM traces WHERE project_id = ?::uuid) t
             WHERE name IS NOT NULL GROUP BY name ORDER BY n DESC, name LIMIT 10""".formatted(LATENCY))) {
      st.setString(1, project);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          names.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getDouble(3)});
        }
      }
    }
    return names;
  }

  private static long sqlLong(String sql, String... params) {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setString(i + 1, params[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
