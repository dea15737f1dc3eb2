package dev.sextant.dashboard;

import static dev.sextant.tracemodel.TraceDerivations.MAX_BIGINT;

/**
 * SQL of the dashboard read: roll-up rows only, each statement one range of the
 * {@code (project_id, bucket_seconds, …, bucket)} indexes. {@code $2} is the rows' width,
 * {@code $3} and {@code $4} the window's bounds.
 */
final class DashboardSql {

  private DashboardSql() {}

  /** How many models and trace names the answer lists. */
  static final int TOP = 10;

  /** The totals of each stored bucket of the window (empty buckets have no row). */
  static final String SERIES = """
      SELECT bucket, traces, errors, input_tokens, output_tokens, cost, latency
        FROM rollup_traces
       WHERE project_id = $1 AND bucket_seconds = $2 AND dimension = 'all'
         AND bucket >= $3 AND bucket < $4""";

  /** The models with the most calls (spans) over the window; spans without a model are left out. */
  static final String TOP_MODELS = """
      SELECT model, sum(spans)::bigint AS calls,
             LEAST(sum(input_tokens), %1$s)::bigint AS input_tokens,
             LEAST(sum(output_tokens), %1$s)::bigint AS output_tokens, sum(cost)::float8 AS cost
        FROM rollup_models
       WHERE project_id = $1 AND bucket_seconds = $2 AND bucket >= $3 AND bucket < $4
         AND model IS NOT NULL
       GROUP BY model
       ORDER BY calls DESC, model
       LIMIT %2$d""".formatted(MAX_BIGINT, TOP);

  /**
   * The trace names with the most traces over the window, each with the latency sketches of its
   * buckets (to be merged); traces without a name are left out.
   */
  static final String TOP_TRACES = """
      WITH top AS (
        SELECT key, sum(traces)::bigint AS count
          FROM rollup_traces
         WHERE project_id = $1 AND bucket_seconds = $2 AND dimension = 'name'
           AND bucket >= $3 AND bucket < $4 AND key IS NOT NULL
         GROUP BY key
         ORDER BY count DESC, key
         LIMIT %d)
      SELECT top.key AS name, top.count, r.latency
        FROM top
        LEFT JOIN rollup_traces r
               ON r.project_id = $1 AND r.bucket_seconds = $2 AND r.dimension = 'name'
              AND r.bucket >= $3 AND r.bucket < $4 AND r.key = top.key""".formatted(TOP);
}
