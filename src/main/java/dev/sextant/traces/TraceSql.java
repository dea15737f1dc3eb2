package dev.sextant.traces;

/** SQL of the trace reads. Dynamic parts are chosen from fixed fragments; every value is bound. */
final class TraceSql {

  private TraceSql() {}

  /** For the transaction it runs in: plan the next statements with their values bound. */
  static final String PLAN_FOR_VALUES = "SET LOCAL plan_cache_mode = force_custom_plan";

  /** Latency: end − start, from the trace itself or else from its spans' bounds. */
  static final String LATENCY_MS =
      "EXTRACT(EPOCH FROM (COALESCE(end_time, span_end) - COALESCE(start_time, span_start))) * 1000";

  /**
   * The same duration as a double for the stats: {@code date_part} stays in floating point, where
   * {@code EXTRACT} computes in numeric, which took 40% of a stats query over a million rows.
   */
  static final String STATS_LATENCY_MS =
      "date_part('epoch', COALESCE(end_time, span_end) - COALESCE(start_time, span_start)) * 1000";

  static final String SUMMARY_COLUMNS = """
      id, name, user_id, session_id, release, COALESCE(tags, '{}') AS tags,
      COALESCE(start_time, span_start) AS start_time, COALESCE(end_time, span_end) AS end_time,
      is_error, span_count, input_tokens, output_tokens, total_cost, sort_time, created_at,
      updated_at, """ + LATENCY_MS + " AS latency_ms";

  static final String LIST_SELECT = "SELECT " + SUMMARY_COLUMNS + " FROM traces WHERE project_id = $1";
  static final String LIST_ORDER = " ORDER BY sort_time DESC, id DESC LIMIT ";

  static final String TRACE_BY_ID = "SELECT " + SUMMARY_COLUMNS + """
      , metadata, input, output FROM traces WHERE project_id = $1 AND id = $2""";

  static final String SPANS_OF_TRACE = """
      SELECT id, trace_id, parent_id, name, COALESCE(kind, 'other') AS kind, start_time, end_time,
             COALESCE(status, 'ok') AS status, status_message, model, input_tokens, output_tokens,
             cost_usd, input, output, attributes,
             EXTRACT(EPOCH FROM (end_time - start_time)) * 1000 AS latency_ms
        FROM spans WHERE project_id = $1 AND trace_id = $2
       ORDER BY start_time NULLS LAST, id""";

  static final String SCORES_OF_TRACE = """
      SELECT id, trace_id, span_id, name, value_num, value_label, COALESCE(source, 'api') AS source,
             comment, created_at
        FROM scores WHERE project_id = $1 AND trace_id = $2
       ORDER BY created_at, id""";

  /**
   * Deleting the trace row comes first: it waits for any ingest transaction holding that row, so
   * the two statements after it (each with a snapshot of its own) see every span and score that
   * transaction committed. An ingest arriving later waits for this transaction and starts a new
   * trace. No foreign key does this for us (V3).
   */
  static final String DELETE_TRACE = "DELETE FROM traces WHERE project_id = $1 AND id = $2";
  static final String DELETE_SPANS = "DELETE FROM spans WHERE project_id = $1 AND trace_id = $2";
  static final String DELETE_SCORES = "DELETE FROM scores WHERE project_id = $1 AND trace_id = $2";

  /**
   * Stats over traces; {@code %s} is the grouping column, chosen from a fixed set. Token sums stop
   * at the largest bigint, as the traces' own do ({@code IngestSql.RECOMPUTE_TRACES}). A negative
   * latency (an end before the start, from two writes) is none, as in reads.
   */
  static final String TRACE_STATS = """
      SELECT %s AS key, count(*) AS trace_count, count(*) FILTER (WHERE is_error) AS error_count,
             percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms)
               FILTER (WHERE latency_ms >= 0) AS pct,
             LEAST(COALESCE(sum(input_tokens), 0), 9223372036854775807)::bigint AS input_tokens,
             LEAST(COALESCE(sum(output_tokens), 0), 9223372036854775807)::bigint AS output_tokens,
             COALESCE(sum(total_cost), 0) AS total_cost
        FROM (SELECT name, user_id, release, is_error, input_tokens, output_tokens, total_cost,
                     """ + STATS_LATENCY_MS + """
                      AS latency_ms
                FROM traces
               WHERE project_id = $1 AND sort_time >= $2 AND sort_time < $3) t
       GROUP BY 1 ORDER BY trace_count DESC, key NULLS LAST LIMIT 1000""";

  /**
   * Stats grouped by model count spans, not traces; {@code %s} narrows them to a time range, or
   * not: a span sent without a start time counts only when none is asked for. Over a long range
   * the spans come from {@code spans_model_duration_idx} already grouped and in duration order
   * (V4__model_stats_in_order.sql).
   */
  private static final String MODEL_STATS_OVER = """
      SELECT model AS key, count(*) AS trace_count,
             count(*) FILTER (WHERE status = 'error') AS error_count,
             percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP
               (ORDER BY duration_ms) FILTER (WHERE duration_ms >= 0) AS pct,
             LEAST(COALESCE(sum(input_tokens), 0), 9223372036854775807)::bigint AS input_tokens,
             LEAST(COALESCE(sum(output_tokens), 0), 9223372036854775807)::bigint AS output_tokens,
             COALESCE(sum(cost_usd), 0) AS total_cost
        FROM spans
       WHERE project_id = $1%s
       GROUP BY 1 ORDER BY trace_count DESC, key NULLS LAST LIMIT 1000""";

  static final String MODEL_STATS = MODEL_STATS_OVER.formatted(" AND start_time >= $2 AND start_time < $3");
  static final String MODEL_STATS_ALL_TIME = MODEL_STATS_OVER.formatted("");
}
