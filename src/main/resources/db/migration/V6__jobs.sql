-- The durable background job queue (API.md section 11), shared by every instance.
-- status: queued (waiting to run), running (claimed; its lease runs until lease_until),
-- failed (waiting for its retry at run_at), dead (out of attempts), done.
-- run_at is the next time the job may be claimed: for a queued or failed job when it is due, for
-- a running one when its lease expires (set together with lease_until), so that one index on
-- (kind, run_at) answers the claim of due and abandoned jobs alike.
CREATE TABLE jobs (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  status       text NOT NULL CHECK (status IN ('queued', 'running', 'failed', 'dead', 'done')),
  attempts     integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  run_at       timestamptz NOT NULL,
  lease_until  timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  dedup_key    text
);

-- the claim (JobSql.CLAIM): the due jobs of one kind, oldest run_at first; done and dead jobs,
-- the bulk of the table, are not in it
CREATE INDEX jobs_due ON jobs (kind, run_at) WHERE status IN ('queued', 'failed', 'running');

-- the admin list (JobSql.LIST): one status, newest first, keyset on (created_at, id);
-- also the gauges' counts per status and kind
CREATE INDEX jobs_by_status ON jobs (status, created_at DESC, id DESC);

-- at most one live job per dedup key (JobSql.ENQUEUE: ON CONFLICT DO NOTHING)
CREATE UNIQUE INDEX jobs_dedup ON jobs (dedup_key)
  WHERE dedup_key IS NOT NULL AND status IN ('queued', 'running', 'failed');
