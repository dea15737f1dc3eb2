package dev.sextant.experiments;

/**
 * SQL of experiments, their results and scores. Every write that changes an experiment's summary
 * first bumps its {@code revision} ({@link #LOCK_FOR_RESULTS}, {@link #LOCK_FOR_SCORES},
 * {@link #COMPLETE}): that takes the experiment's row lock first, so results writers, evaluators
 * and completion never lock in different orders, and a summary cached at one revision is known
 * stale at the next.
 */
final class ExperimentSql {

  private ExperimentSql() {}

  private static final String COLUMNS = """
      e.id, e.name, e.dataset_id, e.model_config, e.evaluators, e.metadata, e.status, e.revision,
             e.created_at, e.completed_at, d.item_count""";

  /**
   * A running experiment $1 of project $2 over dataset $3 ($4 name, $5 model config, $6
   * evaluators, $7 metadata, JSON text); no row when the project has no such dataset.
   */
  static final String INSERT = """
      WITH e AS (
        INSERT INTO experiments (id, project_id, dataset_id, name, model_config, evaluators,
                                 metadata, status, created_at)
        SELECT $1, $2, id, $4, $5::text::jsonb, $6::text::jsonb, $7::text::jsonb, 'running', now()
          FROM datasets WHERE id = $3 AND project_id = $2
        RETURNING *
      )
      SELECT\s""" + COLUMNS + " FROM e JOIN datasets d ON d.id = e.dataset_id";

  static final String FIND = "SELECT " + COLUMNS + "\n" + """
       FROM experiments e JOIN datasets d ON d.id = e.dataset_id
       WHERE e.id = $1 AND e.project_id = $2""";

  /** Counts, cost and exact latency percentiles of experiment $1's results, and how many wait for evaluators. */
  static final String RESULT_TOTALS = """
      SELECT count(*) AS result_count, sum(cost_usd) AS total_cost,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
             (SELECT count(*) FROM experiment_results
               WHERE experiment_id = $1 AND evaluated_at IS NULL) AS pending
        FROM experiment_results WHERE experiment_id = $1""";

  /** Mean, min, max and count of each score name of experiment $1. */
  static final String SCORE_TOTALS = """
      SELECT name, avg(value) AS mean, min(value) AS min, max(value) AS max, count(*) AS count
        FROM experiment_scores WHERE experiment_id = $1
       GROUP BY name ORDER BY name""";

  /** Locks experiment $1 of project $2 for a results write; its status, dataset and evaluators. */
  static final String LOCK_FOR_RESULTS = """
      UPDATE experiments SET revision = revision + 1
       WHERE id = $1 AND project_id = $2
      RETURNING status, dataset_id, evaluators""";

  /** Which of the item ids $2 are items of dataset $1. */
  static final String KNOWN_ITEMS = """
      SELECT id FROM dataset_items WHERE dataset_id = $1 AND id = ANY($2::text[])""";

  /**
   * Upserts results of experiment $1 (item ids distinct, written in their order); a re-sent result
   * replaces the earlier one (a field sent as null keeps its value) and counts a new version. $9:
   * whether they are evaluated already (an experiment without evaluators), else they wait.
   */
  static final String UPSERT_RESULTS = """
      INSERT INTO experiment_results AS r (experiment_id, item_id, output, trace_id, latency_ms,
                                           input_tokens, output_tokens, cost_usd, evaluated_at,
                                           created_at, updated_at)
      SELECT $1, u.item_id, u.output::jsonb, u.trace_id, u.latency_ms, u.input_tokens,
             u.output_tokens, u.cost_usd, CASE WHEN $9 THEN now() END, now(), now()
        FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[], $7::bigint[],
                    $8::float8[])
             AS u(item_id, output, trace_id, latency_ms, input_tokens, output_tokens, cost_usd)
       ORDER BY u.item_id
      ON CONFLICT (experiment_id, item_id) DO UPDATE SET
        output        = EXCLUDED.output,
        trace_id      = COALESCE(EXCLUDED.trace_id, r.trace_id),
        latency_ms    = COALESCE(EXCLUDED.latency_ms, r.latency_ms),
        input_tokens  = COALESCE(EXCLUDED.input_tokens, r.input_tokens),
        output_tokens = COALESCE(EXCLUDED.output_tokens, r.output_tokens),
        cost_usd      = COALESCE(EXCLUDED.cost_usd, r.cost_usd),
        version       = r.version + 1,
        evaluated_at  = EXCLUDED.evaluated_at,
        updated_at    = now()""";

  /** Scores sent with results of experiment $1: $2 item ids, $3 names, $4 values (pairs distinct). */
  static final String UPSERT_API_SCORES = """
      INSERT INTO experiment_scores AS s (experiment_id, item_id, name, value, source, created_at)
      SELECT $1, u.item_id, u.name, u.value, 'api', now()
        FROM unnest($2::text[], $3::text[], $4::float8[]) AS u(item_id, name, value)
       ORDER BY u.item_id, u.name
      ON CONFLICT (experiment_id, item_id, name) DO UPDATE SET value = EXCLUDED.value""";

  /** Completes running experiment $1 of project $2; no row when it is not running. */
  static final String COMPLETE = """
      UPDATE experiments SET status = 'completed', completed_at = now(), revision = revision + 1
       WHERE id = $1 AND project_id = $2 AND status = 'running'
      RETURNING id""";

  /**
   * Experiment $1 of project $2 (one row, or none when the project has no such experiment) with a
   * page of its results and their scores, oldest first, after ($3, $4), $5 of them: an experiment
   * without results carries null result columns.
   */
  static final String LIST_RESULTS = """
      SELECT r.item_id, r.output, r.trace_id, r.latency_ms, r.input_tokens, r.output_tokens,
             r.cost_usd, r.evaluated_at, r.created_at, r.updated_at,
             (SELECT jsonb_object_agg(s.name, s.value) FROM experiment_scores s
               WHERE s.experiment_id = e.id AND s.item_id = r.item_id) AS scores
        FROM experiments e
        LEFT JOIN LATERAL (
          SELECT * FROM experiment_results
           WHERE experiment_id = e.id AND (created_at, item_id) > ($3, $4)
           ORDER BY created_at, item_id
           LIMIT $5
        ) r ON true
       WHERE e.id = $1 AND e.project_id = $2""";

  /**
   * Per score name, over the items that both experiment $1 (a) and $2 (b) scored under that name:
   * the means, and how many items b scored higher, lower or the same (within $3).
   */
  static final String COMPARE = """
      SELECT a.name, count(*) AS common, avg(a.value) AS mean_a, avg(b.value) AS mean_b,
             count(*) FILTER (WHERE b.value > a.value + $3) AS improved,
             count(*) FILTER (WHERE b.value < a.value - $3) AS regressed,
             count(*) FILTER (WHERE abs(b.value - a.value) <= $3) AS unchanged
        FROM experiment_scores a
        JOIN experiment_scores b
          ON b.experiment_id = $2 AND b.name = a.name AND b.item_id = a.item_id
       WHERE a.experiment_id = $1
       GROUP BY a.name ORDER BY a.name""";

  /** How many items both experiment $1 and $2 have a result for. */
  static final String COMMON_ITEMS = """
      SELECT count(*) FROM experiment_results a
        JOIN experiment_results b ON b.experiment_id = $2 AND b.item_id = a.item_id
       WHERE a.experiment_id = $1""";

  /**
   * What the evaluators of experiment $1 need for items $2: each result's output and version with
   * its item's expected output, and the experiment's evaluators (on every row).
   */
  static final String TO_EVALUATE = """
      SELECT e.evaluators, r.item_id, r.output, r.version, i.expected_output
        FROM experiments e
        JOIN experiment_results r ON r.experiment_id = e.id
        JOIN dataset_items i ON i.dataset_id = e.dataset_id AND i.id = r.item_id
       WHERE e.id = $1 AND r.item_id = ANY($2::text[])""";

  /** Locks experiment $1 for an evaluator's write (see the class comment). */
  static final String LOCK_FOR_SCORES = "UPDATE experiments SET revision = revision + 1 WHERE id = $1";

  /**
   * An evaluator pass over experiment $1: scores ($4 item ids, $5 names, $6 values) of the results
   * ($2 item ids, $3 versions) that still hold the version evaluated, which are then marked
   * evaluated; a result re-sent meanwhile keeps waiting for the evaluation of its new version.
   */
  static final String WRITE_EVALUATION = """
      WITH current AS (
        SELECT r.item_id
          FROM experiment_results r
          JOIN unnest($2::text[], $3::int[]) AS v(item_id, version)
            ON r.item_id = v.item_id AND r.version = v.version
         WHERE r.experiment_id = $1
      ), scored AS (
        INSERT INTO experiment_scores AS s (experiment_id, item_id, name, value, source, created_at)
        SELECT $1, u.item_id, u.name, u.value, 'eval', now()
          FROM unnest($4::text[], $5::text[], $6::float8[]) AS u(item_id, name, value)
         WHERE u.item_id IN (SELECT item_id FROM current)
         ORDER BY u.item_id, u.name
        ON CONFLICT (experiment_id, item_id, name) DO UPDATE SET value = EXCLUDED.value
      )
      UPDATE experiment_results r SET evaluated_at = now()
        FROM current c
       WHERE r.experiment_id = $1 AND r.item_id = c.item_id""";
}
