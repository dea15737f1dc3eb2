-- Trace stats from the roll-ups (API.md section 5; dev.sextant.rollups.RollupStats).
--
-- rollup_traces gains two dimensions, 'user_id' and 'release' (one row per value seen in a bucket;
-- key null: traces without one), and both roll-up tables a third width, the UTC day
-- (bucket_seconds 86400, folded from the hour rows), so that stats over long ranges read a few
-- rows per group. No column changes: dimension and bucket_seconds already hold these.
--
-- Existing roll-ups have neither: every minute holding a trace or a span is marked, so that the
-- next roll-up pass rebuilds them all (the same marks a rebuild of one project sets).
INSERT INTO rollup_dirty (project_id, minute, marked_at)
SELECT project_id, minute, now()
  FROM (SELECT project_id, date_bin('1 minute', sort_time, timestamptz '1970-01-01 00:00:00+00') AS minute
          FROM traces
        UNION
        SELECT project_id, date_bin('1 minute', start_time, timestamptz '1970-01-01 00:00:00+00')
          FROM spans WHERE start_time IS NOT NULL) m
ON CONFLICT DO NOTHING;
