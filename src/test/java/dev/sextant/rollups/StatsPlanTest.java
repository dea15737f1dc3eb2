package dev.sextant.rollups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import dev.sextant.support.TestInfra;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * The stats read ({@link RollupStats}) reads the roll-up tables through their keys, and raw rows
 * only for the edges, through the time indexes. Roll-ups of realistic size: 10 projects, each with
 * 20 trace names, 300 users, 5 releases and 8 models, minute rows for 2 days, hour rows for 30 days
 * and day rows for a year (about 2.7 million trace rows); raw rows: {@link PlanFixture}'s 1 000 000
 * spans. Generic plans (the server's after five executions) and plans for the values alike.
 */
@DisplayName("On realistic roll-ups, the stats read")
class StatsPlanTest {

  private static final String PROJECT = PlanFixture.PROJECT;
  private static final List<String> ROLLUPS = List.of("rollup_traces", "rollup_models");
  /** A day, the hours and minutes around it, as an unaligned range splits. */
  private static final String WIDTHS = "'{86400,3600,3600,60,60}'";
  private static final String FROMS =
      "'{2026-11-02T00:00:00Z,2026-11-01T13:00:00Z,2026-11-03T00:00:00Z,2026-11-01T12:34:00Z,2026-11-03T05:00:00Z}'";
  private static final String TOS =
      "'{2026-11-03T00:00:00Z,2026-11-02T00:00:00Z,2026-11-03T05:00:00Z,2026-11-01T13:00:00Z,2026-11-03T05:17:00Z}'";
  private static String url;

  @BeforeAll
  static void seed() throws SQLException {
    url = TestInfra.newMigratedDatabase();
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      // groups per bucket: all, 20 names, 5 releases at every width; users: 10 a minute, 100 an
      // hour, 300 a day (high cardinality: a bucket holds the users active in it)
      PlanFixture.insertRollups(st, """
          SELECT 60 AS seconds, b AS bucket
            FROM generate_series(timestamptz '2026-11-01 00:00Z', timestamptz '2026-11-02 23:59Z',
                                 interval '1 minute') b
          UNION ALL
          SELECT 3600, b
            FROM generate_series(timestamptz '2026-10-04 00:00Z', timestamptz '2026-11-02 23:00Z',
                                 interval '1 hour') b
          UNION ALL
          SELECT 86400, b
            FROM generate_series(timestamptz '2025-11-03 00:00Z', timestamptz '2026-11-02 00:00Z',
                                 interval '1 day') b""", """
          SELECT 'all' AS dimension, NULL AS key
          UNION ALL SELECT 'name', 'name-' || n FROM generate_series(1, 20) n
          UNION ALL SELECT 'release', '1.' || n FROM generate_series(1, 5) n
          UNION ALL SELECT 'user_id', 'user-' || n
            FROM generate_series(1, CASE w.seconds WHEN 60 THEN 10 WHEN 3600 THEN 100 ELSE 300 END) n""");
      // the marks of a busy cluster: a few minutes of each of 20 000 projects
      st.execute("""
          INSERT INTO rollup_dirty (project_id, minute, marked_at)
          SELECT ('00000000-0000-7000-8000-' || lpad(p::text, 12, '0'))::uuid,
                 timestamptz '2026-11-03 05:00Z' + m * interval '1 minute', now()
            FROM generate_series(1, 20000) p, generate_series(0, 2) m""");
      st.execute("""
          INSERT INTO rollup_pending SELECT * FROM rollup_dirty WHERE minute > '2026-11-03 05:01Z'""");
      // and the deltas of a busy moment: a minute of each of 2 000 projects
      st.execute("""
          INSERT INTO rollup_trace_deltas (project_id, minute, count, errors, input_tokens, output_tokens, cost)
          SELECT ('00000000-0000-7000-8000-' || lpad(p::text, 12, '0'))::uuid,
                 timestamptz '2026-11-03 05:03Z', 1, 0, 0, 0, 0
            FROM generate_series(1, 2000) p, generate_series(1, 10) d""");
      st.execute("""
          INSERT INTO rollup_span_deltas (project_id, minute, count, errors, input_tokens, output_tokens, cost)
          SELECT project_id, minute, count, errors, input_tokens, output_tokens, cost
            FROM rollup_trace_deltas""");
      st.execute("VACUUM ANALYZE rollup_dirty, rollup_pending, rollup_trace_deltas, rollup_span_deltas");
    }
  }

  static Stream<Arguments> rollupReads() {
    List<Arguments> reads = new ArrayList<>();
    for (String dimension : Rollups.TRACE_DIMENSIONS) {
      reads.add(Arguments.of("traces by " + dimension, RollupStatsSql.TRACE_ROWS,
          List.of("'" + PROJECT + "'", WIDTHS, FROMS, TOS, "'" + dimension + "'")));
    }
    reads.add(Arguments.of("spans by model", RollupStatsSql.MODEL_ROWS,
        List.of("'" + PROJECT + "'", WIDTHS, FROMS, TOS)));
    return reads.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollupReads")
  @DisplayName("reads whole buckets from the roll-up tables only, through their keys")
  void rollupRowsThroughKeys(String name, String sql, List<String> literals) throws SQLException {
    for (JsonObject plan : plans(url, sql, literals)) {
      List<String> relations = new ArrayList<>();
      List<String> indexes = new ArrayList<>();
      PlanFixture.walk(plan, node -> {
        if (node.getString("Relation Name") != null) {
          relations.add(node.getString("Relation Name"));
        }
        if (node.getString("Index Name") != null) {
          indexes.add(node.getString("Index Name"));
        }
        assertThat(node.getString("Node Type")).as(plan.encodePrettily()).isNotEqualTo("Seq Scan");
      });
      assertThat(relations).as(plan.encodePrettily()).isNotEmpty().allMatch(ROLLUPS::contains);
      assertThat(indexes).as(plan.encodePrettily()).isNotEmpty()
          .allMatch(i -> i.equals("rollup_traces_key") || i.equals("rollup_models_key"));
    }
  }

  @Test
  @DisplayName("finds the minutes not folded in yet through the marks' primary keys and the deltas' indexes")
  void dirtyMinutesThroughKeys() throws SQLException {
    List<String> literals = List.of("'" + PROJECT + "'", "'2026-11-01T00:00:00Z'",
        "'10000-01-01T00:00:00Z'", "61");
    for (JsonObject plan : plans(url, RollupStatsSql.DIRTY_MINUTES, literals)) {
      List<String> indexes = new ArrayList<>();
      PlanFixture.walk(plan, node -> {
        assertThat(node.getString("Node Type")).as(plan.encodePrettily()).isNotEqualTo("Seq Scan");
        if (node.getString("Index Name") != null) {
          indexes.add(node.getString("Index Name"));
        }
      });
      assertThat(indexes).as(plan.encodePrettily())
          .containsExactlyInAnyOrder("rollup_dirty_pkey", "rollup_pending_pkey",
              "rollup_trace_deltas_minute", "rollup_span_deltas_minute");
    }
  }

  static Stream<Arguments> edgeReads() {
    List<Arguments> reads = new ArrayList<>();
    for (RollupStats.Dimension dimension : RollupStats.Dimension.values()) {
      if (dimension != RollupStats.Dimension.MODEL) {
        reads.add(Arguments.of("traces by " + dimension, RollupStats.traceEdgesSql(dimension),
            "traces", "traces_list_idx"));
      }
    }
    reads.add(Arguments.of("spans by model", RollupStatsSql.MODEL_EDGES, "spans", "spans_time_idx"));
    return reads.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edgeReads")
  @DisplayName("reads raw rows only of the edges, through the time index")
  void edgesThroughTimeIndex(String name, String sql, String table, String index)
      throws SQLException {
    Object[] edges = {PROJECT, "{2026-10-20T10:00:12.5Z,2026-10-21T17:42:00Z}",
        "{2026-10-20T10:01:00Z,2026-10-21T17:42:31.25Z}"};
    for (JsonObject plan : List.of(PlanFixture.genericPlan(sql, edges), PlanFixture.plan(sql, edges))) {
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      List<String> indexes = new ArrayList<>();
      PlanFixture.walk(plan, node -> {
        if (node.getString("Index Name") != null) {
          indexes.add(node.getString("Index Name"));
        }
      });
      // plain or bitmap index scans alike: the time index only
      assertThat(indexes).as(plan.encodePrettily()).isNotEmpty().containsOnly(index);
      assertThat(PlanFixture.scans(plan, List.of(table))).as(plan.encodePrettily()).isNotEmpty();
      assertThat(plan.encode()).as(plan.encodePrettily()).contains(" >= p.lo");
    }
  }

  @Test
  @DisplayName("counts the spans without a start time through the time index")
  void untimedSpansThroughTimeIndex() throws SQLException {
    for (JsonObject plan : List.of(PlanFixture.genericPlan(RollupStatsSql.MODEL_UNTIMED, PROJECT),
        PlanFixture.plan(RollupStatsSql.MODEL_UNTIMED, PROJECT))) {
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      assertThat(PlanFixture.indexesOn(plan, "spans")).as(plan.encodePrettily()).isNotEmpty();
    }
  }

  /** The generic plan and the plan for these values. */
  private static List<JsonObject> plans(String db, String sql, List<String> literals)
      throws SQLException {
    List<JsonObject> plans = new ArrayList<>();
    for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
      try (Connection conn = TestInfra.jdbc(db); Statement st = conn.createStatement()) {
        st.execute("SET plan_cache_mode = " + mode);
        st.execute("PREPARE stats_check AS " + sql);
        try (ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE stats_check("
            + String.join(", ", literals) + ")")) {
          rs.next();
          plans.add(new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan"));
        }
      }
    }
    return plans;
  }
}
