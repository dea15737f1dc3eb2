package dev.sextant.traces;

import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.rollups.LatencySketch;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Batches;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.RollupsFolded;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import dev.sextant.tracemodel.TraceDerivations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/traces/stats} read from the roll-ups equals a direct computation over the raw
 * rows: counts, errors, tokens and cost exactly, percentiles within {@link LatencySketch#ERROR_BOUND}
 * of the exact value at their rank (and exactly {@code percentile_cont} over a range short enough
 * to be read directly), for every grouping, over ranges aligned to days, hours and minutes or not,
 * open or closed, before and after updates, late spans and deletes. Seeded random traces over 50
 * hours, so that ranges hold whole days, hours and minutes and partial ones.
 */
@DisplayName("Trace stats from the roll-ups")
@ExtendWith(ServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatsFromRollupsTest {

  private static final long SEED = 17;
  private static final int TRACES = 500;
  private static final String[] NAMES = {"chat", "search", "summarize", "embed", "plan"};
  private static final String[] MODELS = {"gpt-4o", "claude-3", "llama-3", "mistral"};
  private static final List<String> GROUPINGS = List.of("none", "name", "model", "user_id", "release");
  private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant FAR_FUTURE = Instant.parse("+10000-01-01T00:00:00Z");

  @Injected private static TestServer server;
  @Injected private static ApiClient api;
  @ProjectKey private static String key;
  @ProjectKey private static String otherKey;
  private static String project;
  /** Every seeded time lies within 50 hours from here, which is on a whole hour. */
  private static Instant start;

  @BeforeAll
  static void seed() {
    project = api.get("/api/v1/project", key).json().getString("id");
    start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(52));
    Random random = new Random(SEED);
    List<JsonObject> items = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      items.addAll(randomTrace(random, "r" + i));
    }
    // and a crowd around each bound of the ranges checked, on both sides: the partial minutes
    // at the edges, read from the raw rows, hold traces and spans
    int crowd = 0;
    for (Instant[] range : ranges()) {
      for (Instant bound : range) {
        for (int i = 0; bound != null && i < 8; i++) {
          items.addAll(traceAt(random, "e" + crowd++, bound.plusMillis(random.nextInt(118_000) - 59_000)));
        }
      }
    }
    // spans without a start time: in no bucket, counted by model over all time only
    for (int i = 0; i < 5; i++) {
      items.add(span(new JsonObject().put("id", "untimed").put("trace_id", "r" + i)
          .put("model", MODELS[i % 2]).put("input_tokens", 3).put("cost_usd", 0.5)));
    }
    ingest(key, items);
    // another project at the same times: never in the first one's stats
    List<JsonObject> others = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      others.addAll(randomTrace(random, "o" + i));
    }
    ingest(otherKey, others);
    RollupsFolded.await(server.databaseUrl(), project);
  }

  private static List<JsonObject> randomTrace(Random random, String id) {
    return traceAt(random, id,
        start.plusMillis((long) (random.nextDouble() * Duration.ofHours(50).toMillis())));
  }

  private static List<JsonObject> traceAt(Random random, String id, Instant at) {
    long latency = random.nextInt(20) == 0 ? 0 : 5 + random.nextInt(4000);
    JsonObject body = new JsonObject().put("id", id).put("start_time", at.toString())
        .put("end_time", at.plusMillis(latency).toString())
        .put("status", random.nextInt(12) == 0 ? "error" : "ok");
    maybe(random, body, "name", NAMES[random.nextInt(NAMES.length)]);
    maybe(random, body, "user_id", "user-" + random.nextInt(30));
    maybe(random, body, "release", "1." + random.nextInt(3));
    List<JsonObject> items = new ArrayList<>();
    items.add(trace(body));
    int spans = 1 + random.nextInt(3);
    for (int s = 0; s < spans; s++) {
      Instant spanStart = at.plusMillis(random.nextInt((int) Math.max(1, latency)));
      JsonObject span = new JsonObject().put("id", "s" + s).put("trace_id", id).put("name", "call")
          .put("start_time", spanStart.toString())
          .put("end_time", spanStart.plusMillis(random.nextInt(2000)).toString())
          .put("input_tokens", random.nextInt(500)).put("output_tokens", random.nextInt(100))
          .put("cost_usd", random.nextInt(1000) / 10000.0)
          .put("status", random.nextInt(20) == 0 ? "error" : "ok");
      maybe(random, span, "model", MODELS[random.nextInt(MODELS.length)]);
      items.add(span(span));
    }
    return items;
  }

  /** Sets the field, but in one case out of ten leaves it out (the group of those without). */
  private static void maybe(Random random, JsonObject body, String field, String value) {
    if (random.nextInt(10) != 0) {
      body.put(field, value);
    }
  }

  private static void ingest(String apiKey, List<JsonObject> items) {
    Batches.ingestAll(api, apiKey, items);
  }

  /** Ranges of every kind: open, aligned to days, hours or minutes, unaligned, short, random. */
  private static List<Instant[]> ranges() {
    Instant day = start.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    List<Instant[]> ranges = new ArrayList<>(List.of(
        new Instant[] {null, null},
        new Instant[] {day, day.plus(Duration.ofDays(1))},
        new Instant[] {start.plus(Duration.ofHours(3)), start.plus(Duration.ofHours(29))},
        new Instant[] {start.plusSeconds(4_020), start.plusSeconds(4_020 + 7_200 + 540)},
        new Instant[] {start.plusMillis(4_643_456), start.plusMillis(144_187_891)},
        new Instant[] {start.plusMillis(20_000_123), null},
        new Instant[] {null, start.plusMillis(100_000_999)},
        // shorter than TraceRepository.DIRECT_RANGE: read directly, percentiles exact
        new Instant[] {start.plusMillis(36_001_500), start.plusMillis(36_001_500 + 420_000)}));
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 4; i++) {
      long a = (long) (random.nextDouble() * Duration.ofHours(52).toMillis());
      long b = (long) (random.nextDouble() * Duration.ofHours(52).toMillis());
      ranges.add(new Instant[] {start.plusMillis(Math.min(a, b)), start.plusMillis(Math.max(a, b))});
    }
    return ranges;
  }

  @Test
  @Order(1)
  @DisplayName("equal a direct computation over the raw rows, for every grouping and range")
  void equalRawRows() throws SQLException {
    assertEveryRangeMatches();
  }

  @Test
  @Order(2)
  @DisplayName("stay equal after updates, late spans, a moved span and deleted traces")
  void equalAfterChanges() throws SQLException {
    Random random = new Random(SEED + 2);
    List<JsonObject> items = new ArrayList<>();
    // updates: renamed, another user and release, moved by up to a day either way
    for (int i = 0; i < 40; i++) {
      Instant at = start.plusMillis((long) (random.nextDouble() * Duration.ofHours(50).toMillis()));
      items.add(trace(new JsonObject().put("id", "r" + i).put("name", "renamed")
          .put("user_id", "moved-user").put("release", "2.0").put("start_time", at.toString())
          .put("end_time", at.plusMillis(random.nextInt(3000)).toString())));
    }
    // late spans: failed calls of a new model added to existing traces, at any time
    for (int i = 40; i < 80; i++) {
      Instant at = start.plusMillis((long) (random.nextDouble() * Duration.ofHours(50).toMillis()));
      items.add(span(new JsonObject().put("id", "late").put("trace_id", "r" + i).put("name", "late")
          .put("start_time", at.toString()).put("end_time", at.plusMillis(70).toString())
          .put("model", "late-model").put("status", "error").put("input_tokens", 7)
          .put("cost_usd", 0.25)));
    }
    // a span re-sent with another start and model
    items.add(span(new JsonObject().put("id", "s0").put("trace_id", "r90")
        .put("start_time", start.plus(Duration.ofHours(7)).toString())
        .put("end_time", start.plus(Duration.ofHours(7)).plusMillis(40).toString())
        .put("model", "moved-model")));
    ingest(key, items);
    for (int i = 100; i < 110; i++) {
      assertThat(api.delete("/api/v1/traces/r" + i, key).status()).isEqualTo(204);
    }
    RollupsFolded.await(server.databaseUrl(), project);
    assertEveryRangeMatches();
  }

  private static void assertEveryRangeMatches() throws SQLException {
    for (Instant[] range : ranges()) {
      for (String groupBy : GROUPINGS) {
        assertMatches(groupBy, range[0], range[1]);
      }
    }
  }

  /** The answer for this grouping and range equals the raw rows' figures. */
  private static void assertMatches(String groupBy, Instant from, Instant to) throws SQLException {
    String query = "?group_by=" + groupBy + (from == null ? "" : "&from=" + encode(from))
        + (to == null ? "" : "&to=" + encode(to));
    Response r = api.get("/api/v1/traces/stats" + query, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray data = r.data();
    Map<String, Expected> expected = expected(groupBy, from, to);
    boolean direct = from != null && to != null
        && Duration.between(from, to).compareTo(TraceRepository.DIRECT_RANGE) < 0;
    String what = query;
    if (expected.isEmpty() && groupBy.equals("none")) {
      assertThat(data).as(what).hasSize(1);
      assertThat(data.getJsonObject(0).getLong("trace_count")).as(what).isZero();
      return;
    }
    Map<String, JsonObject> groups = new HashMap<>();
    long previous = Long.MAX_VALUE;
    for (Object o : data) {
      JsonObject group = (JsonObject) o;
      assertThat(group.getLong("trace_count")).as(what + " order").isLessThanOrEqualTo(previous);
      previous = group.getLong("trace_count");
      groups.put(group.getString("key"), group);
    }
    assertThat(groups.keySet()).as(what).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, Expected> entry : expected.entrySet()) {
      JsonObject group = groups.get(entry.getKey());
      Expected e = entry.getValue();
      String of = what + " key " + entry.getKey();
      assertThat(group.getLong("trace_count")).as(of).isEqualTo(e.count);
      assertThat(group.getLong("error_count")).as(of).isEqualTo(e.errors);
      assertThat(group.getDouble("error_rate")).as(of)
          .isCloseTo((double) e.errors / e.count, within(1e-12));
      assertThat(group.getLong("input_tokens")).as(of).isEqualTo(e.inputTokens);
      assertThat(group.getLong("output_tokens")).as(of).isEqualTo(e.outputTokens);
      assertThat(group.getDouble("total_cost")).as(of).isCloseTo(e.cost, within(1e-9));
      JsonObject latency = group.getJsonObject("latency_ms");
      double[] quantiles = {0.5, 0.95, 0.99};
      String[] fields = {"p50", "p95", "p99"};
      for (int q = 0; q < 3; q++) {
        Double value = latency.getDouble(fields[q]);
        if (e.latencies.length == 0) {
          assertThat(value).as(of + " " + fields[q]).isNull();
        } else if (direct) {
          assertThat(value).as(of + " " + fields[q]).isCloseTo(e.percentileCont[q], within(1e-9));
        } else {
          double exact = e.latencies[(int) Math.floor(quantiles[q] * (e.latencies.length - 1))];
          assertThat(value).as(of + " " + fields[q]).isNotNull();
          assertThat(Math.abs(value - exact)).as(of + " " + fields[q] + ": " + value + " against " + exact)
              .isLessThanOrEqualTo(LatencySketch.ERROR_BOUND * exact);
        }
      }
    }
  }

  private static String encode(Instant instant) {
    return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
  }

  /** A group's figures over the raw rows; latencies sorted. */
  private record Expected(long count, long errors, long inputTokens, long outputTokens, double cost,
      double[] latencies, double[] percentileCont) {}

  private static Map<String, Expected> expected(String groupBy, Instant from, Instant to)
      throws SQLException {
    String sql;
    if (groupBy.equals("model")) {
      sql = """
          SELECT model AS key, count(*), count(*) FILTER (WHERE %1$s), COALESCE(sum(input_tokens), 0),
                 COALESCE(sum(output_tokens), 0), COALESCE(sum(cost_usd), 0),
                 array_agg(duration_ms ORDER BY duration_ms) FILTER (WHERE duration_ms >= 0),
                 percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms)
                   FILTER (WHERE duration_ms >= 0)
            FROM spans
           WHERE project_id = ?::uuid AND (? OR (start_time >= ? AND start_time < ?))
           GROUP BY 1""".formatted(TraceDerivations.spanFailed("status"));
    } else {
      String column = groupBy.equals("none") ? "NULL::text" : groupBy;
      sql = """
          SELECT key, count(*), count(*) FILTER (WHERE is_error), sum(input_tokens),
                 sum(output_tokens), sum(total_cost),
                 array_agg(lat ORDER BY lat) FILTER (WHERE lat >= 0),
                 percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY lat)
                   FILTER (WHERE lat >= 0)
            FROM (SELECT %1$s AS key, is_error, input_tokens, output_tokens, total_cost,
                         %2$s AS lat, sort_time
                    FROM traces WHERE project_id = ?::uuid) t
           WHERE ? OR (sort_time >= ? AND sort_time < ?)
           GROUP BY 1""".formatted(column, TraceDerivations.LATENCY_MS_DOUBLE);
    }
    Map<String, Expected> groups = new HashMap<>();
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement(sql)) {
      st.setString(1, project);
      st.setBoolean(2, from == null && to == null);
      st.setTimestamp(3, Timestamp.from(from == null ? BEGINNING : from));
      st.setTimestamp(4, Timestamp.from(to == null ? FAR_FUTURE : to));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          groups.put(rs.getString(1), new Expected(rs.getLong(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getDouble(6), doubles(rs.getArray(7)), doubles(rs.getArray(8))));
        }
      }
    }
    return groups;
  }

  private static double[] doubles(Array array) throws SQLException {
    if (array == null) {
      return new double[0];
    }
    return Arrays.stream((Object[]) array.getArray()).mapToDouble(v -> ((Number) v).doubleValue())
        .toArray();
  }
}
