package dev.sextant.dashboard;

import static dev.sextant.tracemodel.TraceDerivations.LATENCY_MS_DOUBLE;

import dev.sextant.rollups.LatencySketch;
import dev.sextant.rollups.Rollups;
import dev.sextant.tracemodel.RollupMarks;

/** SQL of the roll-up job: taking the marks, recomputing marked minutes and their hours. */
final class RollupSql {

  private RollupSql() {}

  /** The marks' lock, exclusively: waits for every writer that has marked to commit. */
  static final String LOCK_MARKS = "SELECT pg_advisory_xact_lock(" + RollupMarks.LOCK_CLASS + ", "
      + RollupMarks.LOCK_MARKS + ")";

  /**
   * One pass at a time across instances, held by the pass's connection for its whole run (a
   * session lock, so that it is held before each of the pass's REPEATABLE READ snapshots is
   * taken): two passes would each fold the other's deltas, or miss the other's minutes.
   */
  static final String LOCK_PASS = "SELECT pg_advisory_lock(" + RollupMarks.LOCK_CLASS + ", 2)";

  static final String UNLOCK_PASS = "SELECT pg_advisory_unlock(" + RollupMarks.LOCK_CLASS + ", 2)";

  /**
   * The isolation of the pass's transactions: each reads one snapshot, so the deltas it takes and
   * the raw rows it recomputes from are of the same commits.
   */
  static final String ONE_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";

  /**
   * Turns sorting off for a recompute's transaction: a busy minute holds hundreds of thousands of
   * spans in a hundred-odd (model, latency bin) groups, which the generic plan sorted, on disk,
   * before grouping (1.2 s for 435 000 spans); hashed, 0.7 s.
   */
  static final String NO_SORT = "SELECT set_config('enable_sort', 'off', true)";

  /** Moves every mark to the pending ones, under {@link #LOCK_MARKS}. */
  static final String TAKE_MARKS = """
      WITH d AS (DELETE FROM rollup_dirty RETURNING project_id, minute, marked_at)
      INSERT INTO rollup_pending AS p (project_id, minute, marked_at)
      SELECT project_id, minute, marked_at FROM d
      ON CONFLICT (project_id, minute) DO UPDATE SET marked_at = LEAST(p.marked_at, EXCLUDED.marked_at)""";

  static final String PENDING_PROJECTS = "SELECT DISTINCT project_id FROM rollup_pending";

  /** The project's oldest pending minutes, up to {@code $2}. */
  static final String PENDING_MINUTES = """
      SELECT minute FROM rollup_pending WHERE project_id = $1 ORDER BY minute LIMIT $2""";

  static final String DELETE_PENDING = """
      DELETE FROM rollup_pending WHERE project_id = $1 AND minute = ANY($2::timestamptz[])""";

  /** Age in seconds of the oldest mark or delta not folded in yet; 0 when there is none. */
  static final String LAG = """
      SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(marked_at)), 0)::float8 AS lag
        FROM (SELECT marked_at FROM rollup_dirty UNION ALL SELECT marked_at FROM rollup_pending
              UNION ALL SELECT added_at FROM rollup_trace_deltas
              UNION ALL SELECT added_at FROM rollup_span_deltas) m""";

  /**
   * The traces of the minutes {@code $2} (each a minute's start) of project {@code $1}, by
   * {@code sort_time}: each minute's totals (dimension {@code all}) and its groups by trace name,
   * user id and release ({@link Rollups#TRACE_DIMENSIONS}), with the latency bins and their counts
   * ({@link LatencySketch#binOf}). Each minute is read on its own through {@code traces_list_idx}:
   * the {@code OFFSET 0} keeps the lateral subquery apart, so that even the generic plan (the
   * server's, see {@code Database}) never joins the minutes to every trace of the project.
   */
  static final String TRACE_MINUTES = """
      WITH b AS (
        SELECT m.start AS bucket, t.name, t.user_id, t.release, %1$s
          FROM unnest($2::timestamptz[]) AS m(start)
          CROSS JOIN LATERAL (
            SELECT name, user_id, release, is_error, input_tokens, output_tokens, total_cost,
                   %3$s AS latency
              FROM traces
             WHERE project_id = $1 AND sort_time >= m.start AND sort_time < m.start + interval '1 minute'
            OFFSET 0) t
         GROUP BY 1, 2, 3, 4, 5)
      SELECT bucket,
             CASE WHEN GROUPING(name) = 0 THEN 'name' WHEN GROUPING(user_id) = 0 THEN 'user_id'
                  WHEN GROUPING(release) = 0 THEN 'release' ELSE 'all' END AS dimension,
             CASE WHEN GROUPING(name) = 0 THEN name WHEN GROUPING(user_id) = 0 THEN user_id
                  WHEN GROUPING(release) = 0 THEN release END AS key,
             %2$s
        FROM b
       GROUP BY GROUPING SETS ((bucket), (bucket, name), (bucket, user_id), (bucket, release))""".formatted(
      Rollups.TRACE_BINS, Rollups.BINNED_SUMS, LATENCY_MS_DOUBLE);

  /**
   * The spans of the minutes {@code $2} of project {@code $1}, by start time and model, each
   * minute read through {@code spans_time_idx} (as {@link #TRACE_MINUTES}).
   */
  static final String MODEL_MINUTES = """
      WITH b AS (
        SELECT m.start AS bucket, s.model, %1$s
          FROM unnest($2::timestamptz[]) AS m(start)
          CROSS JOIN LATERAL (
            SELECT model, duration_ms, status, input_tokens, output_tokens, cost_usd
              FROM spans
             WHERE project_id = $1 AND start_time >= m.start AND start_time < m.start + interval '1 minute'
            OFFSET 0) s
         GROUP BY 1, 2, 3)
      SELECT bucket, model, %2$s
        FROM b
       GROUP BY bucket, model""".formatted(Rollups.SPAN_BINS, Rollups.BINNED_SUMS);

  /** Removes the trace roll-ups of width {@code $2} of the buckets {@code $3}. */
  static final String DELETE_TRACE_ROWS = """
      DELETE FROM rollup_traces
       WHERE project_id = $1 AND bucket_seconds = $2 AND dimension = ANY('%s'::text[])
         AND bucket = ANY($3::timestamptz[])""".formatted(Rollups.TRACE_DIMENSIONS_ARRAY);

  static final String DELETE_MODEL_ROWS = """
      DELETE FROM rollup_models
       WHERE project_id = $1 AND bucket_seconds = $2 AND bucket = ANY($3::timestamptz[])""";

  /**
   * Writes trace roll-up rows of project {@code $1}, each with its width and bucket, replacing the
   * figures of a row already there (the job has merged them in, or deleted the row first).
   */
  static final String UPSERT_TRACE_ROWS = """
      INSERT INTO rollup_traces (project_id, bucket_seconds, bucket, dimension, key, traces,
                                 errors, input_tokens, output_tokens, cost, latency)
      SELECT $1, r.seconds, r.bucket, r.dimension, r.key, r.traces, r.errors, r.input_tokens,
             r.output_tokens, r.cost, r.latency
        FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                    $8::bigint[], $9::bigint[], $10::float8[], $11::bytea[])
             AS r(seconds, bucket, dimension, key, traces, errors, input_tokens, output_tokens, cost,
                  latency)
      ON CONFLICT (project_id, bucket_seconds, dimension, bucket, key) DO UPDATE SET
        traces = EXCLUDED.traces, errors = EXCLUDED.errors, input_tokens = EXCLUDED.input_tokens,
        output_tokens = EXCLUDED.output_tokens, cost = EXCLUDED.cost, latency = EXCLUDED.latency""";

  /** {@link #UPSERT_TRACE_ROWS} for model rows. */
  static final String UPSERT_MODEL_ROWS = """
      INSERT INTO rollup_models (project_id, bucket_seconds, bucket, model, spans, errors,
                                 input_tokens, output_tokens, cost, latency)
      SELECT $1, r.seconds, r.bucket, r.model, r.spans, r.errors, r.input_tokens, r.output_tokens,
             r.cost, r.latency
        FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                    $8::bigint[], $9::float8[], $10::bytea[])
             AS r(seconds, bucket, model, spans, errors, input_tokens, output_tokens, cost, latency)
      ON CONFLICT (project_id, bucket_seconds, bucket, model) DO UPDATE SET
        spans = EXCLUDED.spans, errors = EXCLUDED.errors, input_tokens = EXCLUDED.input_tokens,
        output_tokens = EXCLUDED.output_tokens, cost = EXCLUDED.cost, latency = EXCLUDED.latency""";

  /** Takes every trace delta: deletes them, answering them. */
  static final String TAKE_TRACE_DELTAS = """
      DELETE FROM rollup_trace_deltas
      RETURNING project_id, minute, name, user_id, release, count, errors, input_tokens,
                output_tokens, cost, bins, counts""";

  /** Takes every span delta. */
  static final String TAKE_SPAN_DELTAS = """
      DELETE FROM rollup_span_deltas
      RETURNING project_id, minute, model, count, errors, input_tokens, output_tokens, cost, bins,
                counts""";

  /**
   * Drops the deltas of the minutes {@code $2} of project {@code $1}, in the snapshot that
   * recomputes those minutes from the raw rows, which count the deltas' rows already.
   */
  static final String DROP_TRACE_DELTAS = """
      DELETE FROM rollup_trace_deltas WHERE project_id = $1 AND minute = ANY($2::timestamptz[])""";

  static final String DROP_SPAN_DELTAS = """
      DELETE FROM rollup_span_deltas WHERE project_id = $1 AND minute = ANY($2::timestamptz[])""";

  /**
   * The stored rows of project {@code $1} with the keys {@code $2..$5} (width, bucket, dimension,
   * key), each answered with its key's position {@code i} (from 1); a key with no row is absent.
   * Each key is one probe of {@code rollup_traces_key}, the null key apart because equality never
   * matches it.
   */
  static final String FIND_TRACE_ROWS = """
      SELECT k.i, r.traces, r.errors, r.input_tokens, r.output_tokens, r.cost, r.latency
        FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[]) WITH ORDINALITY
             AS k(seconds, bucket, dimension, key, i)
       CROSS JOIN LATERAL (
         SELECT * FROM rollup_traces
          WHERE project_id = $1 AND bucket_seconds = k.seconds AND dimension = k.dimension
            AND bucket = k.bucket AND key = k.key
         UNION ALL
         SELECT * FROM rollup_traces
          WHERE project_id = $1 AND bucket_seconds = k.seconds AND dimension = k.dimension
            AND bucket = k.bucket AND key IS NULL AND k.key IS NULL
         OFFSET 0) r""";

  /** {@link #FIND_TRACE_ROWS} for model rows (keys {@code $2..$4}: width, bucket, model). */
  static final String FIND_MODEL_ROWS = """
      SELECT k.i, r.spans, r.errors, r.input_tokens, r.output_tokens, r.cost, r.latency
        FROM unnest($2::int[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS k(seconds, bucket, model, i)
       CROSS JOIN LATERAL (
         SELECT * FROM rollup_models
          WHERE project_id = $1 AND bucket_seconds = k.seconds AND bucket = k.bucket
            AND model = k.model
         UNION ALL
         SELECT * FROM rollup_models
          WHERE project_id = $1 AND bucket_seconds = k.seconds AND bucket = k.bucket
            AND model IS NULL AND k.model IS NULL
         OFFSET 0) r""";

  /**
   * The rows {@code seconds} wide of the roll-up {@code table} within the {@code unit} buckets
   * {@code $2} (each a start), to fold into rows of that unit: each bucket's start as
   * {@code hour}, then the {@code columns} (and only the rows matching {@code filter}).
   */
  private static String rowsWithin(String table, String columns, String filter, int seconds,
      String unit) {
    return """
        SELECT h.start AS hour, %2$s, r.errors, r.input_tokens, r.output_tokens, r.cost, r.latency
          FROM unnest($2::timestamptz[]) AS h(start)
          CROSS JOIN LATERAL (
            SELECT * FROM %1$s
             WHERE project_id = $1 AND bucket_seconds = %4$s %3$s
               AND bucket >= h.start AND bucket < h.start + interval '1 %5$s'
            OFFSET 0) r""".formatted(table, columns, filter, seconds, unit);
  }

  private static String traceRowsWithin(int seconds, String unit) {
    return rowsWithin("rollup_traces", "r.dimension, r.key, r.traces",
        "AND dimension = ANY('%s'::text[])".formatted(Rollups.TRACE_DIMENSIONS_ARRAY), seconds, unit);
  }

  private static String modelRowsWithin(int seconds, String unit) {
    return rowsWithin("rollup_models", "r.model, r.spans", "", seconds, unit);
  }

  /** The minute rows of the hours {@code $2} (each an hour's start), to fold into hour rows. */
  static final String TRACE_MINUTES_OF_HOURS = traceRowsWithin(Rollups.MINUTE, "hour");
  static final String MODEL_MINUTES_OF_HOURS = modelRowsWithin(Rollups.MINUTE, "hour");

  /** The hour rows of the days {@code $2} (each a UTC day's start), to fold into day rows. */
  static final String TRACE_HOURS_OF_DAYS = traceRowsWithin(Rollups.HOUR, "day");
  static final String MODEL_HOURS_OF_DAYS = modelRowsWithin(Rollups.HOUR, "day");
}
