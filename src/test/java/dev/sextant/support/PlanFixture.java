package dev.sextant.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A database of realistic size for plan checks, seeded once per test run with
 * {@code generate_series} (not over HTTP): 10 projects, 100 000 traces, 1 000 000 spans,
 * 100 000 scores, 50 000 sessions and API keys. Statements are planned with the values bound, as
 * the server runs them, and a sequential scan of a data table fails the check.
 */
public final class PlanFixture {

  /** The project most queries are planned for; it holds a tenth of the rows. */
  public static final String PROJECT = "00000000-0000-7000-8000-000000000001";

  private static final List<String> DATA_TABLES =
      List.of("traces", "spans", "scores", "sessions", "api_keys", "users", "projects");
  private static String url;

  private PlanFixture() {}

  public static synchronized String url() throws SQLException {
    if (url == null) {
      String candidate = TestInfra.newMigratedDatabase();
      try (Connection conn = TestInfra.jdbc(candidate); Statement st = conn.createStatement()) {
        seed(st);
      }
      url = candidate;
    }
    return url;
  }

  private static void seed(Statement st) throws SQLException {
    insertProjects(st, 10);
    st.execute("""
        INSERT INTO users (id, email, name, password_hash)
        SELECT gen_random_uuid(), 'user' || u || '@example.com', 'user ' || u, 'x'
          FROM generate_series(1, 50000) u""");
    st.execute("""
        INSERT INTO sessions (token_hash, user_id, expires_at)
        SELECT sha256(id::text::bytea), id, now() + interval '1 day' FROM users""");
    st.execute("""
        INSERT INTO api_keys (id, project_id, name, key_hash, key_prefix)
        SELECT gen_random_uuid(), ('00000000-0000-7000-8000-' || lpad((1 + k % 10)::text, 12, '0'))::uuid,
               'key ' || k, sha256(('key' || k)::bytea), 'sxk_abcd'
          FROM generate_series(1, 50000) k""");
    st.execute("""
        INSERT INTO traces (project_id, id, name, user_id, session_id, release, tags, start_time,
                            end_time, status, span_count, input_tokens, output_tokens, total_cost,
                            span_start, span_end, sort_time, is_error)
        SELECT ('00000000-0000-7000-8000-' || lpad((1 + t % 10)::text, 12, '0'))::uuid,
               't' || t, 'name-' || (t % 20), 'user-' || (t % 1000), 'session-' || (t % 5000),
               '1.' || (t % 5), ARRAY['tag-' || (t % 10), 'env-' || (t % 3)],
               ts, ts + (t % 3000) * interval '1 millisecond', NULL, 10, 100, 10, 0.01,
               ts, ts + (t % 3000) * interval '1 millisecond', ts, t % 20 = 0
          FROM (SELECT t, timestamptz '2026-10-01' + t * interval '25 seconds' AS ts
                  FROM generate_series(1, 100000) t) g""");
    st.execute("""
        INSERT INTO spans (project_id, trace_id, id, parent_id, name, kind, start_time, end_time,
                           status, model, input_tokens, output_tokens, cost_usd)
        SELECT t.project_id, t.id, 's' || s, CASE WHEN s = 0 THEN NULL ELSE 's0' END, 'span-' || s,
               'llm', t.sort_time + s * interval '10 milliseconds',
               t.sort_time + s * interval '10 milliseconds' + interval '5 milliseconds',
               CASE WHEN t.is_error AND s = 9 THEN 'error' END, 'model-' || (s % 5), 10, 1, 0.001
          FROM traces t CROSS JOIN generate_series(0, 9) s""");
    st.execute("""
        INSERT INTO scores (project_id, id, trace_id, span_id, name, value_num)
        SELECT project_id, 'sc-' || id, id, 's0', 'quality', 0.5 FROM traces""");
    st.execute("VACUUM ANALYZE");
    // A VACUUM can leave pages unmarked as all-visible while another transaction (autovacuum's
    // ANALYZE of the new tables, say) still may not see their rows; the planner then prices every
    // index-only scan as reading the table too. Production tables get there through autovacuum.
    for (int pass = 0; pass < 20 && !allVisible(st); pass++) {
      st.execute("VACUUM traces, spans, scores");
    }
  }

  /** Projects 1 to {@code count}, with ids {@code 00000000-0000-7000-8000-<n, 12 digits>}. */
  public static void insertProjects(Statement st, int count) throws SQLException {
    st.execute("""
        INSERT INTO projects (id, name, retention_days)
        SELECT ('00000000-0000-7000-8000-' || lpad(p::text, 12, '0'))::uuid, 'project ' || p, 30
          FROM generate_series(1, %d) p""".formatted(count));
  }

  /**
   * Roll-ups of projects 1 to 10 in a database of the caller's own (plan checks of the roll-up
   * reads): a row of each trace group and of each of 8 models in every bucket, each with the same
   * sketch of a few hundred bytes, as a busy bucket's; then {@code VACUUM ANALYZE}.
   *
   * @param widths a query of the buckets, as rows {@code (seconds, bucket)}
   * @param traceGroups a query of the trace groups of a bucket {@code w} (it may read
   *     {@code w.seconds}), as rows {@code (dimension, key)}
   */
  public static void insertRollups(Statement st, String widths, String traceGroups)
      throws SQLException {
    st.execute("""
        CREATE TEMP TABLE sketch AS SELECT decode(repeat('0102030405060708', 40), 'hex') AS latency""");
    st.execute("""
        CREATE TEMP TABLE projects_seeded AS
        SELECT ('00000000-0000-7000-8000-' || lpad(p::text, 12, '0'))::uuid AS id
          FROM generate_series(1, 10) p""");
    st.execute("CREATE TEMP TABLE widths AS " + widths);
    st.execute("""
        INSERT INTO rollup_traces (project_id, bucket_seconds, bucket, dimension, key, traces,
                                   errors, input_tokens, output_tokens, cost, latency)
        SELECT p.id, w.seconds, w.bucket, d.dimension, d.key, 5, 1, 50, 5, 0.005, s.latency
          FROM projects_seeded p, widths w, sketch s, LATERAL (%s) d""".formatted(traceGroups));
    st.execute("""
        INSERT INTO rollup_models (project_id, bucket_seconds, bucket, model, spans, errors,
                                   input_tokens, output_tokens, cost, latency)
        SELECT p.id, w.seconds, w.bucket, 'model-' || m, 40, 1, 400, 40, 0.04, s.latency
          FROM projects_seeded p, widths w, sketch s, generate_series(1, 8) m""");
    st.execute("VACUUM ANALYZE rollup_traces, rollup_models");
  }

  private static boolean allVisible(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("""
        SELECT bool_and(relallvisible = relpages) FROM pg_class
         WHERE relname IN ('traces', 'spans', 'scores')""")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** The plan of {@code sql} with {@code params} bound, as JSON. */
  public static JsonObject plan(String sql, Object... params) throws SQLException {
    return plan(false, sql, params);
  }

  /**
   * The generic plan of {@code sql}, made without looking at the values: the one PostgreSQL may
   * switch a prepared statement to after five executions, as the server's statements are.
   */
  public static JsonObject genericPlan(String sql, Object... params) throws SQLException {
    return plan(true, sql, params);
  }

  private static JsonObject plan(boolean generic, String sql, Object... params) throws SQLException {
    List<String> literals = new ArrayList<>();
    for (Object p : params) {
      literals.add(literal(p));
    }
    return explain(url(), generic, sql, literals);
  }

  /**
   * The generic plan of {@code sql} on a database of the caller's own (seeded by the caller),
   * with parameters given as SQL text ({@code "'dead'"}, {@code "now()"}).
   */
  public static JsonObject genericPlanOn(String databaseUrl, String sql, String... sqlLiterals)
      throws SQLException {
    return explain(databaseUrl, true, sql, List.of(sqlLiterals));
  }

  private static JsonObject explain(String databaseUrl, boolean generic, String sql,
      List<String> literals) throws SQLException {
    try (Connection conn = TestInfra.jdbc(databaseUrl); Statement st = conn.createStatement()) {
      st.execute("SET plan_cache_mode = " + (generic ? "force_generic_plan" : "auto"));
      st.execute("PREPARE plan_check AS " + sql);
      String execute = "EXECUTE plan_check" + (literals.isEmpty() ? "" : "(" + String.join(", ", literals) + ")");
      try (ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) " + execute)) {
        rs.next();
        return new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan");
      }
    }
  }

  /** The data tables the plan reads with a sequential scan (empty is the goal). */
  public static List<String> sequentialScans(JsonObject plan) {
    List<String> found = new ArrayList<>();
    walk(plan, node -> {
      if ("Seq Scan".equals(node.getString("Node Type"))
          && DATA_TABLES.contains(node.getString("Relation Name"))) {
        found.add(node.getString("Relation Name"));
      }
    });
    return found;
  }

  /**
   * How the plan reads {@code tables}: "node type:index" of each scan of them, and of each bitmap
   * index scan of their indexes (which names no table itself, only an index named after it).
   */
  public static List<String> scans(JsonObject plan, List<String> tables) {
    List<String> found = new ArrayList<>();
    walk(plan, node -> {
      String table = node.getString("Relation Name");
      String index = node.getString("Index Name");
      if ((table != null && tables.contains(table))
          || (index != null && tables.stream().anyMatch(index::startsWith))) {
        found.add(node.getString("Node Type") + ":" + index);
      }
    });
    return found;
  }

  /** The indexes through which the plan reads {@code table}. */
  public static List<String> indexesOn(JsonObject plan, String table) {
    List<String> found = new ArrayList<>();
    walk(plan, node -> {
      if (table.equals(node.getString("Relation Name")) && node.getString("Index Name") != null) {
        found.add(node.getString("Index Name"));
      }
    });
    return found;
  }

  /** Visits every node of a plan, depth first, the root first. */
  public static void walk(JsonObject node, Consumer<JsonObject> visitor) {
    visitor.accept(node);
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      children.forEach(child -> walk((JsonObject) child, visitor));
    }
  }

  /** A parameter value as an SQL literal for EXECUTE (test fixtures only). */
  private static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Number) {
      return value.toString();
    }
    if (value instanceof String[] array) {
      List<String> items = new ArrayList<>();
      for (String s : array) {
        items.add(s == null ? "NULL" : quote(s));
      }
      return "ARRAY[" + String.join(", ", items) + "]::text[]";
    }
    return quote(value.toString());
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
