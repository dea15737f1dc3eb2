package dev.sextant.ingest;

import static dev.sextant.tracemodel.TraceDerivations.isError;
import static dev.sextant.tracemodel.TraceDerivations.sortTime;
import static dev.sextant.tracemodel.TraceDerivations.spanAggregates;

import dev.sextant.rollups.RollupDeltas;
import dev.sextant.tracemodel.RollupMarks;
import dev.sextant.tracemodel.SpanTotals;
import dev.sextant.tracemodel.TraceDerivations;

/**
 * Set-based writes of one batch: each type is one multi-row upsert over {@code unnest} of column
 * arrays. A field sent as null keeps its stored value. Rows are written in id order so that two
 * batches touching the same traces lock them in the same order.
 */
final class IngestSql {

  private IngestSql() {}

  /**
   * Traces, including stubs for traces only referenced by spans or scores. Taking the row lock of
   * every trace first serialises concurrent batches of one trace, so the derived fields that
   * {@link #RECOMPUTE_TRACES} writes always count every committed span. A new trace row starts
   * with the derived fields of the batch's spans ({@link SpanTotals}, and {@link TraceDerivations}
   * for the two derived from those); an existing row keeps its own until the recompute.
   * {@code created} tells the two apart: a row this statement inserted has no locker yet
   * ({@code xmax = 0}); one it updated carries this transaction as locker. A created row's
   * roll-up deltas are counted from the columns it returns ({@link RollupDeltas#TRACE_COLUMNS}).
   */
  static final String UPSERT_TRACES = """
      INSERT INTO traces AS t (project_id, id, name, user_id, session_id, release, tags, metadata,
                               input, output, start_time, end_time, status, span_count, span_errors,
                               input_tokens, output_tokens, total_cost, span_start, span_end,
                               sort_time, is_error)
      SELECT $1, r.id, r.name, r.user_id, r.session_id, r.release,
             CASE WHEN r.tags IS NULL THEN NULL
                  ELSE ARRAY(SELECT jsonb_array_elements_text(r.tags::jsonb)) END,
             r.metadata::jsonb, r.input::jsonb, r.output::jsonb, r.start_time, r.end_time, r.status,
             r.span_count, r.span_errors, r.input_tokens, r.output_tokens, r.total_cost,
             r.span_start, r.span_end, %1$s,
             %2$s
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[],
                    $13::text[], $14::int[], $15::int[], $16::bigint[], $17::bigint[],
                    $18::float8[], $19::timestamptz[], $20::timestamptz[])
             AS r(id, name, user_id, session_id, release, tags, metadata, input, output,
                  start_time, end_time, status, span_count, span_errors, input_tokens,
                  output_tokens, total_cost, span_start, span_end)
       ORDER BY r.id
      ON CONFLICT (project_id, id) DO UPDATE SET
        name       = COALESCE(EXCLUDED.name, t.name),
        user_id    = COALESCE(EXCLUDED.user_id, t.user_id),
        session_id = COALESCE(EXCLUDED.session_id, t.session_id),
        release    = COALESCE(EXCLUDED.release, t.release),
        tags       = COALESCE(EXCLUDED.tags, t.tags),
        metadata   = COALESCE(EXCLUDED.metadata, t.metadata),
        input      = COALESCE(EXCLUDED.input, t.input),
        output     = COALESCE(EXCLUDED.output, t.output),
        start_time = COALESCE(EXCLUDED.start_time, t.start_time),
        end_time   = COALESCE(EXCLUDED.end_time, t.end_time),
        status     = COALESCE(EXCLUDED.status, t.status),
        updated_at = now()
      RETURNING id, xmax = 0 AS created, %3$s""".formatted(
      sortTime("r.start_time", "r.span_start", "now()"), isError("r.status", "r.span_errors"),
      RollupDeltas.TRACE_COLUMNS);

  /**
   * The spans of traces this transaction created: no span of such a trace can exist (spans are
   * only written after their trace row, and deleted with it), so a plain insert does, without the
   * cost of conflict checks. Should one exist all the same, the insert fails on the primary key
   * and the batch is written again with {@link #UPSERT_SPANS} for every span.
   */
  static final String INSERT_SPANS = """
      INSERT INTO spans AS s (project_id, trace_id, id, parent_id, name, kind, start_time, end_time,
                              status, status_message, model, input_tokens, output_tokens, cost_usd,
                              input, output, attributes)
      SELECT $1, r.trace_id, r.id, r.parent_id, r.name, r.kind, r.start_time, r.end_time, r.status,
             r.status_message, r.model, r.input_tokens, r.output_tokens, r.cost_usd,
             r.input::jsonb, r.output::jsonb, r.attributes::jsonb
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                    $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::text[],
                    $12::bigint[], $13::bigint[], $14::float8[], $15::text[], $16::text[],
                    $17::text[])
             AS r(trace_id, id, parent_id, name, kind, start_time, end_time, status,
                  status_message, model, input_tokens, output_tokens, cost_usd, input, output,
                  attributes)""";

  /** Spans that may already be stored, merged field by field; in key order, for lock order. */
  static final String UPSERT_SPANS = INSERT_SPANS + """

       ORDER BY r.trace_id, r.id
      ON CONFLICT (project_id, trace_id, id) DO UPDATE SET
        parent_id      = COALESCE(EXCLUDED.parent_id, s.parent_id),
        name           = COALESCE(EXCLUDED.name, s.name),
        kind           = COALESCE(EXCLUDED.kind, s.kind),
        start_time     = COALESCE(EXCLUDED.start_time, s.start_time),
        end_time       = COALESCE(EXCLUDED.end_time, s.end_time),
        status         = COALESCE(EXCLUDED.status, s.status),
        status_message = COALESCE(EXCLUDED.status_message, s.status_message),
        model          = COALESCE(EXCLUDED.model, s.model),
        input_tokens   = COALESCE(EXCLUDED.input_tokens, s.input_tokens),
        output_tokens  = COALESCE(EXCLUDED.output_tokens, s.output_tokens),
        cost_usd       = COALESCE(EXCLUDED.cost_usd, s.cost_usd),
        input          = COALESCE(EXCLUDED.input, s.input),
        output         = COALESCE(EXCLUDED.output, s.output),
        attributes     = COALESCE(EXCLUDED.attributes, s.attributes),
        updated_at     = now()""";

  static final String UPSERT_SCORES = """
      INSERT INTO scores AS c (project_id, id, trace_id, span_id, name, value_num, value_label,
                               source, comment)
      SELECT $1, r.id, r.trace_id, r.span_id, r.name, r.value_num, r.value_label, r.source, r.comment
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
                    $8::text[], $9::text[])
             AS r(id, trace_id, span_id, name, value_num, value_label, source, comment)
       ORDER BY r.id
      ON CONFLICT (project_id, id) DO UPDATE SET
        trace_id    = EXCLUDED.trace_id,
        span_id     = COALESCE(EXCLUDED.span_id, c.span_id),
        name        = EXCLUDED.name,
        value_num   = EXCLUDED.value_num,
        value_label = EXCLUDED.value_label,
        source      = COALESCE(EXCLUDED.source, c.source),
        comment     = COALESCE(EXCLUDED.comment, c.comment),
        updated_at  = now()""";

  /**
   * Updates scores re-sent without all of trace, name and value: what is left out keeps its stored
   * value (a value is replaced as a whole, number or label). Answers the ids it found; a score it
   * did not find cannot be made from such a write.
   */
  static final String UPDATE_SCORES = """
      UPDATE scores AS c SET
        trace_id    = COALESCE(r.trace_id, c.trace_id),
        span_id     = COALESCE(r.span_id, c.span_id),
        name        = COALESCE(r.name, c.name),
        value_num   = CASE WHEN r.value_num IS NULL AND r.value_label IS NULL THEN c.value_num ELSE r.value_num END,
        value_label = CASE WHEN r.value_num IS NULL AND r.value_label IS NULL THEN c.value_label ELSE r.value_label END,
        source      = COALESCE(r.source, c.source),
        comment     = COALESCE(r.comment, c.comment),
        updated_at  = now()
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
                    $8::text[], $9::text[])
             AS r(id, trace_id, span_id, name, value_num, value_label, source, comment)
       WHERE c.project_id = $1 AND c.id = r.id
      RETURNING c.id""";

  /**
   * Re-derives the span aggregates of the batch's traces from the spans now stored, and writes
   * only the rows where they differ from what is stored (a trace the batch created already holds
   * them). The aggregate is materialised first, so it runs once over the batch's traces whatever
   * the planner believes about the project's size. The trace rows are then found through their
   * primary key: the {@code id = ANY($2)} condition is what lets the generic plan of this prepared
   * statement use it (joined only to the CTE, PostgreSQL read every trace of the project to find
   * the batch's). The aggregates and the fields derived from them are {@link TraceDerivations}'.
   */
  static final String RECOMPUTE_TRACES = """
      WITH a AS MATERIALIZED (
        SELECT ids.id, %1$s
          FROM unnest($2::text[]) AS ids(id)
          LEFT JOIN spans s ON s.project_id = $1 AND s.trace_id = ids.id
         GROUP BY ids.id)
      UPDATE traces t SET
        span_count    = a.span_count,
        span_errors   = a.span_errors,
        input_tokens  = a.input_tokens,
        output_tokens = a.output_tokens,
        total_cost    = a.total_cost,
        span_start    = a.span_start,
        span_end      = a.span_end,
        sort_time     = %2$s,
        is_error      = %3$s
        FROM a
       WHERE t.project_id = $1 AND t.id = ANY($2::text[]) AND t.id = a.id
         AND (t.span_count, t.span_errors, t.input_tokens, t.output_tokens, t.total_cost,
              t.span_start, t.span_end, t.sort_time, t.is_error)
             IS DISTINCT FROM
             (a.span_count, a.span_errors, a.input_tokens, a.output_tokens, a.total_cost,
              a.span_start, a.span_end, %2$s, %3$s)""".formatted(
      spanAggregates("s"), sortTime("t.start_time", "a.span_start", "t.created_at"),
      isError("t.status", "a.span_errors"));

  /**
   * The minutes the batch's traces that existed before it ({@code $2}) and their spans sit in
   * before the batch changes them (their roll-ups may lose a row): read after
   * {@link #UPSERT_TRACES}, which changes no trace's {@code sort_time}, and before the spans'
   * writes and {@link #RECOMPUTE_TRACES}; {@link #MARK} marks them. A plain read: marking them
   * here, in a statement of their own, let two batches mark minutes in opposite orders across the
   * two statements and deadlock.
   */
  static final String MINUTES_BEFORE = """
      SELECT DISTINCT %s AS minute
        FROM (SELECT sort_time FROM traces WHERE project_id = $1 AND id = ANY($2::text[])
              UNION ALL
              SELECT start_time FROM spans WHERE project_id = $1 AND trace_id = ANY($2::text[])) m(ts)
       WHERE m.ts IS NOT NULL""".formatted(RollupMarks.minuteOf("m.ts"));

  /**
   * Marks the minutes {@link #MINUTES_BEFORE} read ({@code $4}), and those of the batch's traces
   * that existed before it ({@code $2}) and of the start times their spans were sent with
   * ({@code $3}) after the batch's writes: the last statement of the transaction and its only
   * mark, so that concurrent batches take the marks in one order (see {@link RollupMarks}). A
   * span sent without a start time keeps its stored one, whose minute {@code $4} holds. The
   * traces the batch created are not marked: their deltas ({@link RollupDeltas}) say what they
   * add.
   */
  static final String MARK = RollupMarks.statement("""
      SELECT sort_time FROM traces WHERE project_id = $1 AND id = ANY($2::text[])
      UNION ALL
      SELECT unnest($3::timestamptz[])
      UNION ALL
      SELECT unnest($4::timestamptz[])""");
}
