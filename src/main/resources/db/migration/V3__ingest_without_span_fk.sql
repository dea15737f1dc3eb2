-- Spans and scores no longer reference their trace through a foreign key. Every ingest
-- transaction upserts the trace row (a stub when only its spans or scores came) before them, and a
-- trace is deleted together with its spans and scores (TraceSql.DELETE_TRACE), so the reference
-- holds without one. The key cost a lookup per span, and the planner, working from statistics
-- of a younger table, sometimes chose an index that reads every trace of the project for it:
-- ingest slowed down as the project grew.
ALTER TABLE spans DROP CONSTRAINT spans_project_id_trace_id_fkey;
ALTER TABLE scores DROP CONSTRAINT scores_project_id_trace_id_fkey;
