-- Stats grouped by model over a project's whole history read every span of it. In an index ordered
-- by (model, duration) they arrive grouped and sorted: PostgreSQL neither sorts them by model nor
-- sorts each model's durations for percentile_cont (its sort finds them already in order), and
-- the index alone holds every column the stats read. Over 1 000 000 spans that took the query from
-- 1.3-2.5 s to 0.35-0.45 s on a loaded 2-core machine (docs/performance.md).
ALTER TABLE spans ADD COLUMN duration_ms double precision
  GENERATED ALWAYS AS (date_part('epoch', end_time - start_time) * 1000) STORED;
CREATE INDEX spans_model_duration_idx ON spans (project_id, model, duration_ms)
  INCLUDE (start_time, status, input_tokens, output_tokens, cost_usd);

-- The time index now only finds the spans of a short range, whose few rows are read from the table
-- itself; it no longer carries the stats' columns, which the index above does. Together the two
-- cost ingest about 6 % more PostgreSQL CPU per span than the one wide index did.
DROP INDEX spans_time_idx;
CREATE INDEX spans_time_idx ON spans (project_id, start_time);
