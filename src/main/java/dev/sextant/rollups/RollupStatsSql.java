package dev.sextant.rollups;

import static dev.sextant.tracemodel.TraceDerivations.LATENCY_MS_DOUBLE;
import static dev.sextant.tracemodel.TraceDerivations.MAX_BIGINT;

/**
 * SQL of the stats read from the roll-ups ({@link RollupStats}): the roll-up rows of whole buckets
 * and the raw rows of the partial minutes at the edges, each summed by group in the database. Every
 * range is read on its own through an index (the {@code OFFSET 0} keeps each lateral subquery
 * apart, so that even a generic plan never joins the ranges to every row of the project).
 */
final class RollupStatsSql {

  private RollupStatsSql() {}

  /**
   * The project's minutes in {@code [$2, $3)} marked by writes or with deltas
   * ({@link RollupDeltas}) not folded in yet, up to {@code $4}, through the marks' primary keys
   * and the deltas' minute indexes.
   */
  static final String DIRTY_MINUTES = """
      SELECT minute FROM rollup_dirty WHERE project_id = $1 AND minute >= $2 AND minute < $3
      UNION
      SELECT minute FROM rollup_pending WHERE project_id = $1 AND minute >= $2 AND minute < $3
      UNION
      SELECT minute FROM rollup_trace_deltas WHERE project_id = $1 AND minute >= $2 AND minute < $3
      UNION
      SELECT minute FROM rollup_span_deltas WHERE project_id = $1 AND minute >= $2 AND minute < $3
      LIMIT $4""";

  /**
   * The trace roll-up rows of dimension {@code $5} in the ranges {@code $2} (widths), {@code $3}
   * (first buckets) and {@code $4} (ends, excluded), summed by key, with their latency sketches.
   */
  static final String TRACE_ROWS = rollupRows("rollup_traces", "key", "traces", "AND dimension = $5");

  /** {@link #TRACE_ROWS} for the model roll-ups (spans), which have no dimension. */
  static final String MODEL_ROWS = rollupRows("rollup_models", "model", "spans", "");

  /**
   * The rows of the roll-up {@code table} in the ranges {@code $2}, {@code $3}, {@code $4} (and
   * matching {@code filter}), summed by the {@code key} column, {@code count} the column counting
   * each row's traces or spans.
   */
  private static String rollupRows(String table, String key, String count, String filter) {
    return """
        SELECT r.%2$s AS key, sum(r.%3$s)::bigint AS count, sum(r.errors)::bigint AS errors,
               LEAST(sum(r.input_tokens), %5$s)::bigint AS input_tokens,
               LEAST(sum(r.output_tokens), %5$s)::bigint AS output_tokens,
               sum(r.cost)::float8 AS cost,
               array_agg(r.latency) FILTER (WHERE r.latency IS NOT NULL) AS sketches
          FROM unnest($2::int[], $3::timestamptz[], $4::timestamptz[]) AS p(seconds, lo, hi)
          CROSS JOIN LATERAL (
            SELECT %2$s, %3$s, errors, input_tokens, output_tokens, cost, latency
              FROM %1$s
             WHERE project_id = $1 AND bucket_seconds = p.seconds %4$s
               AND bucket >= p.lo AND bucket < p.hi
            OFFSET 0) r
         GROUP BY r.%2$s""".formatted(table, key, count, filter, MAX_BIGINT);
  }

  /**
   * The raw traces of the ranges {@code $2} (starts) and {@code $3} (ends, excluded) by
   * {@code sort_time} through {@code traces_list_idx}, summed by the key {@code %s} (a column
   * chosen from a fixed set), with the latency bins as the roll-ups count them.
   */
  private static final String TRACE_EDGES = """
      WITH b AS (
        SELECT t.key, %1$s
          FROM unnest($2::timestamptz[], $3::timestamptz[]) AS p(lo, hi)
          CROSS JOIN LATERAL (
            SELECT %%s AS key, is_error, input_tokens, output_tokens, total_cost, %3$s AS latency
              FROM traces
             WHERE project_id = $1 AND sort_time >= p.lo AND sort_time < p.hi
            OFFSET 0) t
         GROUP BY 1, 2)
      SELECT key, %2$s FROM b GROUP BY key""".formatted(Rollups.TRACE_BINS, Rollups.BINNED_SUMS,
      LATENCY_MS_DOUBLE);

  /** The trace edges keyed by {@code key} (a column of {@code traces}, or {@code NULL::text}). */
  static String traceEdges(String key) {
    return TRACE_EDGES.formatted(key);
  }

  /** The raw spans of the ranges {@code $2}, {@code $3} by start time, through {@code spans_time_idx}. */
  static final String MODEL_EDGES = """
      WITH b AS (
        SELECT s.model AS key, %1$s
          FROM unnest($2::timestamptz[], $3::timestamptz[]) AS p(lo, hi)
          CROSS JOIN LATERAL (
            SELECT model, duration_ms, status, input_tokens, output_tokens, cost_usd
              FROM spans
             WHERE project_id = $1 AND start_time >= p.lo AND start_time < p.hi
            OFFSET 0) s
         GROUP BY 1, 2)
      SELECT key, %2$s FROM b GROUP BY key""".formatted(Rollups.SPAN_BINS, Rollups.BINNED_SUMS);

  /**
   * The spans sent without a start time, in no bucket: counted only when no range is asked for
   * (as the direct read counts them), through {@code spans_time_idx}.
   */
  static final String MODEL_UNTIMED = """
      WITH b AS (
        SELECT s.model AS key, %1$s
          FROM spans s
         WHERE s.project_id = $1 AND s.start_time IS NULL
         GROUP BY 1, 2)
      SELECT key, %2$s FROM b GROUP BY key""".formatted(Rollups.SPAN_BINS, Rollups.BINNED_SUMS);
}
