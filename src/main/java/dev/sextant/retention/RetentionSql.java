package dev.sextant.retention;

import dev.sextant.tracemodel.RollupMarks;

/** The retention job's statements; every value is bound. */
final class RetentionSql {

  private RetentionSql() {}

  /**
   * Every project with the start of the time it keeps: traces sorted before {@code cutoff} are
   * expired. Reads the small projects table whole.
   */
  static final String CUTOFFS = """
      SELECT id, now() - retention_days * interval '1 day' AS cutoff
        FROM projects
       ORDER BY id""";

  /**
   * Deletes up to $3 of the oldest traces of project $1 sorted before $2, with their spans and
   * scores, in one statement (so one short transaction) and returns how many rows of each went.
   * Traces locked by a write in progress are skipped, never waited for: the next batch or run
   * takes them. Finds through {@code traces_list_idx}; deletes through the
   * primary keys of traces and spans and {@code scores_trace_idx} (an {@code = ANY} of the batch's
   * ids: a join would let the planner read the project's whole trace index). Marks, for the
   * dashboard roll-ups, the minutes the deleted traces and spans sat in, as a trace delete does
   * ({@link RollupMarks}), so the dashboard stops counting them.
   */
  static final String DELETE_EXPIRED_BATCH = """
      WITH %1$s,
      expired AS (
        SELECT id FROM traces
         WHERE project_id = $1 AND sort_time < $2
         ORDER BY sort_time
         LIMIT $3
         FOR UPDATE SKIP LOCKED
      ), traces_gone AS (
        DELETE FROM traces
         WHERE project_id = $1 AND id = ANY (ARRAY(SELECT id FROM expired))
        RETURNING id, sort_time
      ), spans_gone AS (
        DELETE FROM spans
         WHERE project_id = $1 AND trace_id = ANY (ARRAY(SELECT id FROM traces_gone))
        RETURNING start_time
      ), scores_gone AS (
        DELETE FROM scores
         WHERE project_id = $1 AND trace_id = ANY (ARRAY(SELECT id FROM traces_gone))
        RETURNING 1
      ), marked AS (
        %2$s
      )
      SELECT (SELECT count(*) FROM expired) AS found,
             (SELECT count(*) FROM traces_gone) AS traces,
             (SELECT count(*) FROM spans_gone) AS spans,
             (SELECT count(*) FROM scores_gone) AS scores""".formatted(RollupMarks.HELD_CTE,
      RollupMarks.insert("$1",
          "SELECT sort_time FROM traces_gone UNION ALL SELECT start_time FROM spans_gone"));
}
