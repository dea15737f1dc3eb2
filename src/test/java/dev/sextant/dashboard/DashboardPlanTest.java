package dev.sextant.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import dev.sextant.support.TestInfra;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard read touches the roll-up tables only, through their indexes, on roll-ups of
 * realistic size: 10 projects, each with 20 trace names and 8 models, minute rows for 3 days and
 * hour rows for 60 days (about 1.2 million trace rows and 0.5 million model rows). The job's
 * recompute reads raw rows through their time indexes ({@link PlanFixture}'s 1 000 000 spans).
 */
@DisplayName("On roll-ups of 10 projects over 60 days, the dashboard")
class DashboardPlanTest {

  private static final String PROJECT = PlanFixture.PROJECT;
  private static final Instant NOW = Instant.parse("2026-11-30T12:34:56Z");
  private static final List<String> ROLLUPS = List.of("rollup_traces", "rollup_models");
  private static String url;

  @BeforeAll
  static void seed() throws SQLException {
    url = TestInfra.newMigratedDatabase();
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      PlanFixture.insertRollups(st, """
          SELECT 60 AS seconds, b AS bucket
            FROM generate_series(timestamptz '2026-11-27 13:00Z', timestamptz '2026-11-30 12:59Z',
                                 interval '1 minute') b
          UNION ALL
          SELECT 3600, b
            FROM generate_series(timestamptz '2026-10-01 00:00Z', timestamptz '2026-11-30 12:00Z',
                                 interval '1 hour') b""", """
          SELECT 'all' AS dimension, NULL AS key
          UNION ALL SELECT 'name', 'name-' || n FROM generate_series(1, 20) n""");
    }
  }

  static Stream<Arguments> reads() {
    List<Arguments> reads = new ArrayList<>();
    for (Window window : Window.values()) {
      Object[] range = {PROJECT, window.sourceSeconds(), window.start(NOW).toString(),
          window.end(NOW).toString()};
      reads.add(Arguments.of(window.param() + ": series", DashboardSql.SERIES, range));
      reads.add(Arguments.of(window.param() + ": top models", DashboardSql.TOP_MODELS, range));
      reads.add(Arguments.of(window.param() + ": top traces", DashboardSql.TOP_TRACES, range));
    }
    return reads.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  @DisplayName("reads the roll-up tables only, through their indexes")
  void readsRollupsThroughIndexes(String name, String sql, Object[] params) throws SQLException {
    List<String> literals = new ArrayList<>();
    for (Object p : params) {
      literals.add(p instanceof Number ? p.toString() : "'" + p + "'");
    }
    for (JsonObject plan : new JsonObject[] {
        PlanFixture.genericPlanOn(url, sql, literals.toArray(String[]::new)),
        customPlan(sql, literals)}) {
      List<String> relations = new ArrayList<>();
      List<String> scans = new ArrayList<>();
      PlanFixture.walk(plan, node -> {
        String relation = node.getString("Relation Name");
        if (relation != null) {
          relations.add(relation);
          scans.add(node.getString("Node Type") + ":" + node.getString("Index Name"));
        }
      });
      assertThat(relations).as(plan.encodePrettily()).isNotEmpty().allMatch(ROLLUPS::contains);
      assertThat(scans).as(plan.encodePrettily()).noneMatch(s -> s.startsWith("Seq Scan"));
    }
  }

  /** The plan made for these values (the server's statements start with such plans). */
  private static JsonObject customPlan(String sql, List<String> literals) throws SQLException {
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      st.execute("PREPARE custom_check AS " + sql);
      try (var rs = st.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE custom_check("
          + String.join(", ", literals) + ")")) {
        rs.next();
        return new io.vertx.core.json.JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan");
      }
    }
  }

  @Test
  @DisplayName("roll-up job folds minute rows into hours through the roll-up indexes (generic plans)")
  void hoursFromMinuteRows() throws SQLException {
    for (String sql : List.of(RollupSql.TRACE_MINUTES_OF_HOURS, RollupSql.MODEL_MINUTES_OF_HOURS)) {
      JsonObject plan = PlanFixture.genericPlanOn(url, sql, "'" + PROJECT + "'",
          "'{2026-11-30T11:00:00Z,2026-11-30T12:00:00Z}'");
      assertThat(sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      assertThat(indexes(plan)).as(plan.encodePrettily()).isNotEmpty()
          .allMatch(i -> i.equals("rollup_traces_key") || i.equals("rollup_models_key"));
    }
  }

  @Test
  @DisplayName("roll-up job recomputes minutes from the raw rows through their time indexes, minute by minute")
  void recomputeUsesTimeIndexes() throws SQLException {
    Object[] minutes = {PlanFixture.PROJECT, "{2026-10-01T00:04:00Z,2026-10-01T00:09:00Z}"};
    JsonObject traces = PlanFixture.genericPlan(RollupSql.TRACE_MINUTES, minutes);
    assertThat(sequentialScans(traces)).as(traces.encodePrettily()).isEmpty();
    assertThat(indexes(traces)).as(traces.encodePrettily()).containsOnly("traces_list_idx");
    assertThat(traces.encode()).contains("sort_time >= m.start");
    JsonObject spans = PlanFixture.genericPlan(RollupSql.MODEL_MINUTES, minutes);
    assertThat(sequentialScans(spans)).as(spans.encodePrettily()).isEmpty();
    assertThat(indexes(spans)).as(spans.encodePrettily()).containsOnly("spans_time_idx");
    assertThat(spans.encode()).contains("start_time >= m.start");
  }

  /** Every index the plan reads, plain or bitmap scans alike. */
  private static List<String> indexes(JsonObject plan) {
    List<String> found = new ArrayList<>();
    PlanFixture.walk(plan, node -> {
      if (node.getString("Index Name") != null) {
        found.add(node.getString("Index Name"));
      }
    });
    return found;
  }

  private static List<String> sequentialScans(JsonObject plan) {
    List<String> found = new ArrayList<>();
    PlanFixture.walk(plan, node -> {
      if ("Seq Scan".equals(node.getString("Node Type"))) {
        found.add(node.getString("Relation Name"));
      }
    });
    return found;
  }
}
