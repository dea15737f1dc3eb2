-- The due times the scheduler has queued (API.md section 11: in a cluster each scheduled run
-- happens once). Every instance's scheduler inserts (kind, due_at) when a cron expression comes
-- due; the primary key lets exactly one of them win (ON CONFLICT DO NOTHING), and the winner
-- queues the job in the same transaction. The jobs table's dedup index cannot do this: it covers
-- only live jobs, so a run that has finished would be queued again by a later instance.
-- Rows older than a day before a kind's latest due time are deleted as new ones come in.
CREATE TABLE job_schedule_runs (
  kind        text NOT NULL,
  due_at      timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (kind, due_at)
);
