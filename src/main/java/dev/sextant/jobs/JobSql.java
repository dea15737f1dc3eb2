package dev.sextant.jobs;

/** The job queue's statements; every value is bound. */
final class JobSql {

  private JobSql() {}

  static final String COLUMNS = """
      id, kind, payload, status, attempts, max_attempts, run_at, lease_until, last_error,
      created_at, updated_at, finished_at, dedup_key""";

  /** $1 id, $2 kind, $3 payload, $4 max attempts, $5 delay in ms, $6 dedup key (nullable). */
  static final String ENQUEUE = """
      INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at,
                        updated_at, dedup_key)
      VALUES ($1, $2, $3, 'queued', 0, $4, now() + $5 * interval '1 millisecond', now(), now(), $6)
      ON CONFLICT (dedup_key)
        WHERE dedup_key IS NOT NULL AND status IN ('queued', 'running', 'failed')
        DO NOTHING
      RETURNING id""";

  /** Many jobs of one kind: $1 ids, $2 kind, $3 payloads, $4 max attempts. */
  static final String ENQUEUE_MANY = """
      INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at,
                        updated_at)
      SELECT j.id, $2, j.payload, 'queued', 0, $4, now(), now(), now()
        FROM unnest($1::uuid[], $3::jsonb[]) AS j(id, payload)""";

  /**
   * Records due time $2 of scheduled kind $1, unless it or a later one is recorded already (by
   * this or another instance): a row back means this caller queues the run. The primary key
   * settles a race on the same due time. Uses the primary key of {@code job_schedule_runs}.
   */
  static final String RECORD_SCHEDULED_RUN = """
      INSERT INTO job_schedule_runs (kind, due_at, recorded_at)
      SELECT $1, $2, now()
       WHERE NOT EXISTS (SELECT 1 FROM job_schedule_runs WHERE kind = $1 AND due_at >= $2)
      ON CONFLICT (kind, due_at) DO NOTHING
      RETURNING due_at""";

  /** Forgets the due times of kind $1 before $2. Uses the primary key of {@code job_schedule_runs}. */
  static final String PRUNE_SCHEDULED_RUNS =
      "DELETE FROM job_schedule_runs WHERE kind = $1 AND due_at < $2";

  /** Wakes every worker listening on the channel; the payload is the kind. */
  static final String NOTIFY = "SELECT pg_notify('sextant_jobs', $1)";

  /**
   * Makes the commit of the statement that joins it not wait for its WAL to reach the disk
   * ({@code synchronous_commit = off} for this transaction only; PostgreSQL writes the WAL within
   * a few hundred milliseconds). Used by the worker's statements only (claim, complete, renew,
   * fail): if PostgreSQL crashes, the last of them may be forgotten, so a job runs again or its
   * lease expires, which at-least-once delivery allows; attempts still count up. Enqueues and the
   * admin's retry stay durable. Set inside the statement, not by a {@code SET LOCAL}, so each
   * stays one round trip: on two busy cores a round trip costs as much as the fsync saved (the
   * claim of 32 jobs took 10-11 ms with the fsync, 5-6 ms without).
   */
  private static final String ASYNC_COMMIT =
      "async AS (SELECT set_config('synchronous_commit', 'off', true) AS off)";

  /**
   * Marks done the attempts ($4 ids, $5 attempt numbers, in the same order) still holding their
   * claim, then claims
   * up to $2 due jobs of kind $1 for $3 seconds: queued or failed ones whose time has come, and
   * running ones whose lease has expired (their run_at is their lease's end), except those being
   * completed here. One statement, so a worker's completions ride along with its next claim.
   * SKIP LOCKED lets concurrent claimers pass each other's rows. Uses {@code jobs_due} and the
   * primary key.
   */
  static final String CLAIM = "WITH " + ASYNC_COMMIT + """
      , completed AS (
        UPDATE jobs j
           SET status = 'done', lease_until = NULL, finished_at = now(), updated_at = now()
          FROM async
         WHERE j.id = ANY ($4::uuid[]) AND j.status = 'running'
           AND j.attempts = ($5::int[])[array_position($4::uuid[], j.id)]
      ), due AS (
        SELECT id FROM jobs
         WHERE kind = $1 AND status IN ('queued', 'failed', 'running') AND run_at <= now()
           AND id <> ALL ($4::uuid[])
         ORDER BY run_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED
      )
      UPDATE jobs j
         SET status = 'running', attempts = j.attempts + 1,
             lease_until = now() + $3 * interval '1 second',
             run_at = now() + $3 * interval '1 second', updated_at = now()
        FROM due, async
       WHERE j.id = due.id
      RETURNING j.id, j.kind, j.payload, j.status, j.attempts, j.max_attempts, j.run_at,
                j.lease_until, j.last_error, j.created_at, j.updated_at, j.finished_at,
                j.dedup_key""";

  /**
   * Marks done the attempts ($1 ids, $2 attempt numbers) still holding their claim: an attempt
   * whose lease expired and was claimed again does not overwrite the newer one.
   */
  static final String COMPLETE = "WITH " + ASYNC_COMMIT + """

      UPDATE jobs j
         SET status = 'done', lease_until = NULL, finished_at = now(), updated_at = now()
        FROM async
       WHERE j.id = ANY ($1::uuid[]) AND j.status = 'running'
         AND j.attempts = ($2::int[])[array_position($1::uuid[], j.id)]""";

  /**
   * Extends by $3 seconds the leases of the attempts ($1 ids, $2 attempt numbers) still holding
   * their claim: their handlers still run, so no other worker may take them. Uses the primary key.
   */
  static final String RENEW = "WITH " + ASYNC_COMMIT + """

      UPDATE jobs j
         SET lease_until = now() + $3 * interval '1 second',
             run_at = now() + $3 * interval '1 second', updated_at = now()
        FROM async
       WHERE j.id = ANY ($1::uuid[]) AND j.status = 'running'
         AND j.attempts = ($2::int[])[array_position($1::uuid[], j.id)]""";

  /**
   * An attempt ($1 id, $2 attempt) failed with $4: retried after $3 ms, or dead when it was the
   * last. Returns the new status, or nothing when the attempt no longer holds the claim.
   */
  static final String FAIL = "WITH " + ASYNC_COMMIT + """

      UPDATE jobs
         SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'failed' END,
             run_at = now() + $3 * interval '1 millisecond', lease_until = NULL,
             last_error = $4, updated_at = now(),
             finished_at = CASE WHEN attempts >= max_attempts THEN now() END
        FROM async
       WHERE id = $1 AND attempts = $2 AND status = 'running'
      RETURNING status""";

  /** Queues a failed or dead job ($1) again with fresh attempts. */
  static final String RETRY = """
      UPDATE jobs
         SET status = 'queued', attempts = 0, run_at = now(), lease_until = NULL,
             finished_at = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('failed', 'dead')
      RETURNING """ + " " + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS + " FROM jobs WHERE id = $1";

  /** One page of the jobs in status $1, newest first, after ($2, $3); $4 rows. Uses {@code jobs_by_status}. */
  static final String LIST = "SELECT " + COLUMNS + """

        FROM jobs
       WHERE status = $1 AND (created_at, id) < ($2, $3)
       ORDER BY created_at DESC, id DESC
       LIMIT $4""";

  /**
   * Per kind: queued (due or not), running, failed and dead counts and the age of the oldest job
   * waiting to run. Reads only the live jobs and the dead ones, never the done ones.
   */
  static final String GAUGES = """
      SELECT kind,
             count(*) FILTER (WHERE status = 'queued') AS queued,
             count(*) FILTER (WHERE status = 'running') AS running,
             count(*) FILTER (WHERE status = 'dead') AS dead,
             coalesce(extract(epoch FROM now() - min(created_at)
                 FILTER (WHERE status IN ('queued', 'failed') AND run_at <= now())), 0) AS oldest_age
        FROM jobs
       WHERE status IN ('queued', 'running', 'failed', 'dead')
       GROUP BY kind""";
}
