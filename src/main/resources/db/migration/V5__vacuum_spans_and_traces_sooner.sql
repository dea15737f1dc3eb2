-- Traces and spans are mostly inserted. Autovacuum's defaults wait for 20 % new rows before it
-- vacuums an insert-mostly table and 10 % changed rows before it analyzes one; until then the
-- pages of new rows are not marked all-visible, so the stats' index-only scans read the table too
-- (stats by model over a freshly loaded million spans: 0.88 s instead of 0.36 s), and the planner
-- misjudges projects that grew since the last ANALYZE. At 2 % both run about ten times as often;
-- each pass only reads the pages that changed.
ALTER TABLE spans SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE traces SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
