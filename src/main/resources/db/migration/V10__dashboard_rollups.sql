-- Dashboard roll-ups (API.md section 8), kept by the dashboard_rollup job (dev.sextant.dashboard).
--
-- Every transaction that writes or deletes traces or spans marks the minutes it touched, before
-- and after its change, in rollup_dirty (one set-based INSERT ... ON CONFLICT DO NOTHING per
-- batch). A roll-up pass moves the marks to rollup_pending, then recomputes each pending minute
-- of a project from the raw rows, and its hour from the minute rows, and deletes the pending
-- marks, in one transaction: a pass that dies leaves them pending for the next one.

CREATE TABLE rollup_dirty (
  project_id uuid NOT NULL,
  minute     timestamptz NOT NULL,            -- start of the touched minute (UTC)
  marked_at  timestamptz NOT NULL,            -- first mark not yet folded in (the lag gauge)
  PRIMARY KEY (project_id, minute)
);

CREATE TABLE rollup_pending (
  project_id uuid NOT NULL,
  minute     timestamptz NOT NULL,
  marked_at  timestamptz NOT NULL,
  PRIMARY KEY (project_id, minute)
);

-- The roll-up state of each project: version goes up with every pass that changed its roll-ups;
-- the dashboard's cache key carries it.
CREATE TABLE rollup_state (
  project_id uuid PRIMARY KEY,
  version    bigint NOT NULL,
  folded_at  timestamptz NOT NULL
);

-- Traces per bucket, by sort_time. dimension 'all' holds the totals of the bucket (key null),
-- 'name' one row per trace name (null: traces without one). Other trace dimensions (release,
-- user_id) can be added as further values without a new table. latency is a DDSketch
-- (LatencySketch) of the traces' latency_ms; traces without a latency are counted but not in it.
CREATE TABLE rollup_traces (
  project_id     uuid NOT NULL,
  bucket_seconds integer NOT NULL,            -- 60 or 3600
  bucket         timestamptz NOT NULL,
  dimension      text NOT NULL,
  key            text,
  traces         bigint NOT NULL,
  errors         bigint NOT NULL,
  input_tokens   bigint NOT NULL,
  output_tokens  bigint NOT NULL,
  cost           double precision NOT NULL,
  latency        bytea
);
-- the series (dimension, bucket range), the top trace names, and the recompute of some buckets
CREATE UNIQUE INDEX rollup_traces_key
  ON rollup_traces (project_id, bucket_seconds, dimension, bucket, key) NULLS NOT DISTINCT;

-- Spans per bucket and model, by the span's start_time (a span without one is in no bucket);
-- model null: spans without a model. latency: a DDSketch of duration_ms.
CREATE TABLE rollup_models (
  project_id     uuid NOT NULL,
  bucket_seconds integer NOT NULL,
  bucket         timestamptz NOT NULL,
  model          text,
  spans          bigint NOT NULL,
  errors         bigint NOT NULL,
  input_tokens   bigint NOT NULL,
  output_tokens  bigint NOT NULL,
  cost           double precision NOT NULL,
  latency        bytea
);
CREATE UNIQUE INDEX rollup_models_key
  ON rollup_models (project_id, bucket_seconds, bucket, model) NULLS NOT DISTINCT;
