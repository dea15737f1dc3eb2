package dev.sextant.rollups;

import static dev.sextant.tracemodel.TraceDerivations.LATENCY_MS_DOUBLE;

import dev.sextant.tracemodel.RollupMarks;

/**
 * The roll-up deltas ({@code rollup_trace_deltas}, {@code rollup_span_deltas}): what a batch adds
 * to the roll-ups when it only adds, binned as a recompute bins ({@link Rollups#TRACE_BINS},
 * {@link Rollups#SPAN_BINS}), so that the roll-up job adds them in without reading a minute's raw
 * rows again.
 *
 * <p>Only traces the writing transaction created qualify: their rows and every span of theirs are
 * new, so their figures add to what is folded already. The traces' deltas are written by a
 * statement of their own ({@link #ADD_TRACES}), their spans' by the insert of those spans
 * ({@link #withSpanDeltas}). Writes that change or delete stored rows
 * mark their minutes instead ({@link RollupMarks}). No lock is needed: a delta commits with the
 * rows it describes, and the job reads both in one snapshot.
 */
public final class RollupDeltas {

  private RollupDeltas() {}

  /**
   * Writes the deltas of the traces {@code $2} of project {@code $1}, which this transaction
   * created: one row per minute and group, with its latency bins and their counts in arrays (one
   * row per bin would write about a row per trace). The traces are found through their primary
   * key.
   */
  public static final String ADD_TRACES = """
      INSERT INTO rollup_trace_deltas (project_id, minute, name, user_id, release, count, errors,
                                       input_tokens, output_tokens, cost, bins, counts)
      SELECT $1, minute, name, user_id, release, %2$s
        FROM (SELECT %1$s AS minute, t.name, t.user_id, t.release, %3$s
                FROM (SELECT sort_time, name, user_id, release, is_error, input_tokens,
                             output_tokens, total_cost, %4$s AS latency
                        FROM traces WHERE project_id = $1 AND id = ANY($2::text[])) t
               GROUP BY 1, 2, 3, 4, 5) b
       GROUP BY minute, name, user_id, release""".formatted(RollupMarks.minuteOf("t.sort_time"),
      Rollups.BINNED_SUMS, Rollups.TRACE_BINS, LATENCY_MS_DOUBLE);

  /**
   * {@code insertSpans}, an insert of new spans of project {@code $1} (of traces this transaction
   * created), made to write the inserted spans' deltas too: one row per minute and model, from the
   * rows it inserts, so that no span is read back.
   */
  public static String withSpanDeltas(String insertSpans) {
    return """
        WITH s AS (
        %1$s
        RETURNING start_time, model, duration_ms, status, input_tokens, output_tokens, cost_usd)
        INSERT INTO rollup_span_deltas (project_id, minute, model, count, errors, input_tokens,
                                        output_tokens, cost, bins, counts)
        SELECT $1, minute, model, %2$s
          FROM (SELECT %3$s AS minute, s.model, %4$s
                  FROM s WHERE s.start_time IS NOT NULL
                 GROUP BY 1, 2, 3) b
         GROUP BY minute, model""".formatted(insertSpans, Rollups.BINNED_SUMS,
        RollupMarks.minuteOf("s.start_time"), Rollups.SPAN_BINS);
  }
}
