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
 * new, so their figures add to what is folded already. Writes that change or delete stored rows
 * mark their minutes instead ({@link RollupMarks}). No lock is needed: a delta commits with the
 * rows it describes, and the job reads both in one snapshot.
 */
public final class RollupDeltas {

  private RollupDeltas() {}

  /**
   * Writes the deltas of the traces {@code $2} of project {@code $1}, which this transaction
   * created, and of their spans: one row per minute and group, with its latency bins and their
   * counts in arrays (one row per bin would write about a row per span). Run after their spans
   * are written; the traces and spans are found through their primary keys.
   */
  public static final String ADD = """
      WITH trace_deltas AS (
        INSERT INTO rollup_trace_deltas (project_id, minute, name, user_id, release, count, errors,
                                         input_tokens, output_tokens, cost, bins, counts)
        SELECT $1, minute, name, user_id, release, %2$s
          FROM (SELECT %1$s AS minute, t.name, t.user_id, t.release, %3$s
                  FROM (SELECT sort_time, name, user_id, release, is_error, input_tokens,
                               output_tokens, total_cost, %4$s AS latency
                          FROM traces WHERE project_id = $1 AND id = ANY($2::text[])) t
                 GROUP BY 1, 2, 3, 4, 5) b
         GROUP BY minute, name, user_id, release)
      INSERT INTO rollup_span_deltas (project_id, minute, model, count, errors, input_tokens,
                                      output_tokens, cost, bins, counts)
      SELECT $1, minute, model, %2$s
        FROM (SELECT %5$s AS minute, s.model, %6$s
                FROM spans s
               WHERE s.project_id = $1 AND s.trace_id = ANY($2::text[]) AND s.start_time IS NOT NULL
               GROUP BY 1, 2, 3) b
       GROUP BY minute, model""".formatted(RollupMarks.minuteOf("t.sort_time"), Rollups.BINNED_SUMS,
      Rollups.TRACE_BINS, LATENCY_MS_DOUBLE, RollupMarks.minuteOf("s.start_time"), Rollups.SPAN_BINS);
}
