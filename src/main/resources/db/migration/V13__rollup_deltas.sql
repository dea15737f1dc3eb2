-- Roll-up deltas (dev.sextant.rollups.RollupDeltas): what a batch that only adds adds to the
-- roll-ups, written by the batch's own transaction, so that the roll-up job folds in the new
-- rows' figures instead of recomputing their whole minutes from the raw rows.
--
-- A batch of traces it creates (with their spans) writes one row per minute and group (trace
-- name, user id and release; span model) of them here, its latency bins in arrays; writes that change or delete stored rows keep marking their minutes in
-- rollup_dirty for a recompute. The job takes the deltas (DELETE ... RETURNING) in a
-- REPEATABLE READ transaction and adds them to the minute, hour and day rows; a recompute of a
-- marked minute drops that minute's deltas in the same snapshot as it reads the raw rows, so that
-- no row is counted twice. The stats read (dev.sextant.rollups.RollupStats) reads a minute that
-- has deltas from the raw rows, as it reads a marked one: each table has an index for that.

CREATE TABLE rollup_trace_deltas (
  project_id    uuid NOT NULL,
  minute        timestamptz NOT NULL,         -- the minute of the traces' sort_time
  name          text,
  user_id       text,
  release       text,
  count         bigint NOT NULL,
  errors        bigint NOT NULL,
  input_tokens  bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost          double precision NOT NULL,
  bins          integer[],                    -- LatencySketch bins of the latencies, and
  counts        bigint[],                     -- how many fell in each (null: no latency)
  added_at      timestamptz NOT NULL DEFAULT now()   -- the lag gauge
);

CREATE TABLE rollup_span_deltas (
  project_id    uuid NOT NULL,
  minute        timestamptz NOT NULL,         -- the minute of the spans' start_time
  model         text,
  count         bigint NOT NULL,
  errors        bigint NOT NULL,
  input_tokens  bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost          double precision NOT NULL,
  bins          integer[],                    -- of duration_ms
  counts        bigint[],
  added_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rollup_trace_deltas_minute ON rollup_trace_deltas (project_id, minute);
CREATE INDEX rollup_span_deltas_minute ON rollup_span_deltas (project_id, minute);

-- Every row is deleted within seconds of its insert: vacuum after a thousand dead rows rather
-- than after a fifth of the table, so the job's scans stay short.
ALTER TABLE rollup_trace_deltas SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                     autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000);
ALTER TABLE rollup_span_deltas SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000);
