package dev.sextant.traces;

import static dev.sextant.tracemodel.TraceDerivations.END_TIME;
import static dev.sextant.tracemodel.TraceDerivations.LATENCY_MS;
import static dev.sextant.tracemodel.TraceDerivations.LATENCY_MS_DOUBLE;
import static dev.sextant.tracemodel.TraceDerivations.SPAN_LATENCY_MS;
import static dev.sextant.tracemodel.TraceDerivations.START_TIME;
import static dev.sextant.tracemodel.TraceDerivations.costSum;
import static dev.sextant.tracemodel.TraceDerivations.spanFailed;
import static dev.sextant.tracemodel.TraceDerivations.tokenSum;

import dev.sextant.tracemodel.RollupMarks;
import java.util.EnumMap;
import java.util.Map;

/** SQL of the trace reads. Dynamic parts are chosen from fixed fragments; every value is bound. */
final class TraceSql {

  private TraceSql() {}

  /** For the transaction it runs in: plan the next statements with their values bound. */
  static final String PLAN_FOR_VALUES = "SET LOCAL plan_cache_mode = force_custom_plan";

  /** The columns of a trace summary; the derived ones are TraceDerivations'. */
  static final String SUMMARY_COLUMNS = """
      id, name, user_id, session_id, release, COALESCE(tags, '{}') AS tags,
      %1$s AS start_time, %2$s AS end_time,
      is_error, span_count, input_tokens, output_tokens, total_cost, sort_time, created_at,
      updated_at, %3$s AS latency_ms""".formatted(START_TIME, END_TIME, LATENCY_MS);

  static final String LIST_SELECT = "SELECT " + SUMMARY_COLUMNS + " FROM traces WHERE project_id = $1";
  static final String LIST_ORDER = " ORDER BY sort_time DESC, id DESC LIMIT ";

  static final String TRACE_BY_ID = "SELECT " + SUMMARY_COLUMNS + """
      , metadata, input, output FROM traces WHERE project_id = $1 AND id = $2""";

  static final String SPANS_OF_TRACE = """
      SELECT id, trace_id, parent_id, name, COALESCE(kind, 'other') AS kind, start_time, end_time,
             COALESCE(status, 'ok') AS status, status_message, model, input_tokens, output_tokens,
             cost_usd, input, output, attributes, %s AS latency_ms
        FROM spans WHERE project_id = $1 AND trace_id = $2
       ORDER BY start_time NULLS LAST, id""".formatted(SPAN_LATENCY_MS);

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
  static final String DELETE_TRACE =
      "DELETE FROM traces WHERE project_id = $1 AND id = $2 RETURNING sort_time";

  /**
   * Deletes the trace's spans and marks, for the dashboard roll-ups, the minutes they sat in and
   * the minute of the trace's {@code sort_time} ({@code $3}, as the trace's delete returned it).
   * The marks' lock is taken here, after the trace's row lock, in the order ingest takes them
   * ({@link RollupMarks}).
   */
  static final String DELETE_SPANS = """
      WITH %1$s,
           d AS (DELETE FROM spans WHERE project_id = $1 AND trace_id = $2 RETURNING start_time)
      %2$s""".formatted(RollupMarks.HELD_CTE,
      RollupMarks.insert("$1", "SELECT start_time FROM d UNION ALL SELECT $3::timestamptz"));
  static final String DELETE_SCORES = "DELETE FROM scores WHERE project_id = $1 AND trace_id = $2";

  /**
   * Stats over traces; {@code %s} is the grouping column ({@link GroupBy#column()}), chosen from a
   * fixed set. Token sums stop at the largest bigint, as the traces' own do. A negative latency (an
   * end before the start, from two writes) is none, as in reads.
   */
  static final String TRACE_STATS = """
      SELECT %%s AS key, count(*) AS trace_count, count(*) FILTER (WHERE is_error) AS error_count,
             percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms)
               FILTER (WHERE latency_ms >= 0) AS pct,
             %1$s AS input_tokens,
             %2$s AS output_tokens,
             %3$s AS total_cost
        FROM (SELECT name, user_id, release, is_error, input_tokens, output_tokens, total_cost,
                     %4$s AS latency_ms
                FROM traces
               WHERE project_id = $1 AND sort_time >= $2 AND sort_time < $3) t
       GROUP BY 1 ORDER BY trace_count DESC, key NULLS LAST LIMIT 1000""".formatted(
      tokenSum("input_tokens"), tokenSum("output_tokens"), costSum("total_cost"), LATENCY_MS_DOUBLE);

  /** {@link #TRACE_STATS} for each grouping that counts traces, formatted once. */
  private static final Map<GroupBy, String> TRACE_STATS_BY_GROUP = traceStatsByGroup();

  /** The stats over traces in {@code [$2, $3)}, grouped so; not for {@link GroupBy#MODEL}. */
  static String traceStats(GroupBy groupBy) {
    String sql = TRACE_STATS_BY_GROUP.get(groupBy);
    if (sql == null) {
      throw new IllegalArgumentException(groupBy + " counts spans: MODEL_STATS");
    }
    return sql;
  }

  private static Map<GroupBy, String> traceStatsByGroup() {
    Map<GroupBy, String> statements = new EnumMap<>(GroupBy.class);
    for (GroupBy groupBy : GroupBy.values()) {
      if (!groupBy.countsSpans()) {
        statements.put(groupBy, TRACE_STATS.formatted(groupBy.column()));
      }
    }
    return statements;
  }

  /**
   * Stats grouped by model count spans, not traces; {@code %s} narrows them to a time range, or
   * not: a span sent without a start time counts only when none is asked for. Over a long range
   * the spans come from {@code spans_model_duration_idx} already grouped and in duration order
   * (V4__model_stats_in_order.sql).
   */
  private static final String MODEL_STATS_OVER = """
      SELECT model AS key, count(*) AS trace_count,
             count(*) FILTER (WHERE %1$s) AS error_count,
             percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP
               (ORDER BY duration_ms) FILTER (WHERE duration_ms >= 0) AS pct,
             %2$s AS input_tokens,
             %3$s AS output_tokens,
             %4$s AS total_cost
        FROM spans
       WHERE project_id = $1%%s
       GROUP BY 1 ORDER BY trace_count DESC, key NULLS LAST LIMIT 1000""".formatted(
      spanFailed("status"), tokenSum("input_tokens"), tokenSum("output_tokens"), costSum("cost_usd"));

  static final String MODEL_STATS = MODEL_STATS_OVER.formatted(" AND start_time >= $2 AND start_time < $3");
  static final String MODEL_STATS_ALL_TIME = MODEL_STATS_OVER.formatted("");
}
