package dev.sextant.tracemodel;

/**
 * Marks of the minutes whose dashboard roll-ups a write makes stale, defined once for the
 * statements that write traces and spans (ingest) and delete them (trace delete), and for the
 * roll-up job that folds them in ({@code dev.sextant.dashboard}).
 *
 * <p>A writer marks, in its own transaction, every minute its change touches: the minute of each
 * changed row's {@code sort_time} (traces) or {@code start_time} (spans) before the change and
 * after it. A mark is one row of {@code rollup_dirty} per (project, minute), inserted with
 * {@code ON CONFLICT DO NOTHING}, so a busy minute costs one index probe per batch.
 *
 * <p>Because a mark already present is left as it is, a writer's commit must not come after the
 * roll-up job has taken that mark and read the raw rows: a writer takes the shared advisory lock
 * {@code (LOCK_CLASS, LOCK_MARKS)} before it marks (held to its commit), and the job takes it
 * exclusively while it moves the marks out of {@code rollup_dirty}, which waits for every writer
 * that has marked to commit. Markers never wait for each other on it.
 */
public final class RollupMarks {

  private RollupMarks() {}

  /** The advisory lock's first key: Sextant's roll-ups ("SXRU"). */
  public static final int LOCK_CLASS = 0x53585255;
  /** The advisory lock's second key: the marks. */
  public static final int LOCK_MARKS = 1;

  /** A minute's start, in UTC whatever the session's time zone, for a timestamptz expression. */
  public static String minuteOf(String time) {
    return "date_bin('1 minute', " + time + ", timestamptz '1970-01-01 00:00:00+00')";
  }

  /** A CTE, named {@code held}, that takes the marks' shared lock; {@link #insert} reads it. */
  public static final String HELD_CTE = "held AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared("
      + LOCK_CLASS + ", " + LOCK_MARKS + "))";

  /**
   * The insert of the marks of project {@code project} (an SQL expression such as {@code "$1"})
   * for the minutes of {@code times}, a query of one timestamptz column (nulls are skipped); for a
   * statement whose {@code WITH} holds {@link #HELD_CTE}. Minutes go in order, so that two
   * writers never wait for each other's marks in opposite orders.
   */
  public static String insert(String project, String times) {
    return """
        INSERT INTO rollup_dirty (project_id, minute, marked_at)
        SELECT DISTINCT %1$s::uuid, %2$s, now()
          FROM held, (%3$s) AS m(ts)
         WHERE m.ts IS NOT NULL
         ORDER BY 2
        ON CONFLICT DO NOTHING""".formatted(project, minuteOf("m.ts"), times);
  }

  /** A whole statement that marks the minutes of {@code times} for project {@code $1}. */
  public static String statement(String times) {
    return "WITH " + HELD_CTE + "\n" + insert("$1", times);
  }
}
