-- scripts/bench: seeds traces of 10 spans each straight into the read project with
-- generate_series, the way the server stores them (V2__traces.sql): derived trace fields are
-- computed from the spans, as ingest would. Names, models and users are those of the traces
-- loaded over HTTP (BenchPayloads.java), so filters and stats mix both.
-- psql variables: project (uuid), traces (count), and optionally age (an interval: the newest
-- trace is that much older than it would be; default none).
\set ON_ERROR_STOP on
\if :{?age}
\else
  \set age '0 seconds'
\endif
SET synchronous_commit = off;

CREATE TEMP TABLE seed_spans AS
SELECT t, s, trace_id, id, parent_id, kind, start_time, end_time, status,
       CASE WHEN kind IN ('llm', 'embedding') THEN (ARRAY['gpt-4o', 'gpt-4o-mini',
         'claude-3-5-sonnet', 'claude-3-5-haiku', 'gemini-1.5-pro', 'llama-3.1-70b'])[1 + (t + s) % 6]
       END AS model,
       CASE WHEN kind IN ('llm', 'embedding') THEN 100 + (t * 7 + s * 13) % 1900 END AS input_tokens,
       CASE WHEN kind = 'llm' THEN 10 + (t + s * 3) % 400
            WHEN kind = 'embedding' THEN 0 END AS output_tokens
  FROM (SELECT t, s,
               'seed-' || lpad(t::text, 7, '0') AS trace_id,
               's' || lpad(s::text, 4, '0') AS id,
               CASE WHEN s = 0 THEN NULL ELSE 's0000' END AS parent_id,
               (ARRAY['chain', 'retrieval', 'llm', 'tool', 'llm', 'embedding', 'llm', 'tool', 'llm',
                      'other'])[s + 1] AS kind,
               ts + s * interval '120 milliseconds' AS start_time,
               ts + s * interval '120 milliseconds'
                  + (10 + (t * 7 + s * 13) % 900) * interval '1 millisecond' AS end_time,
               CASE WHEN (t + s) % 97 = 0 THEN 'error' ELSE 'ok' END AS status
          FROM (SELECT t, now() - interval '90 seconds' - :'age'::interval - t * (interval '7 days' / :traces) AS ts
                  FROM generate_series(1, :traces) t) g
         CROSS JOIN generate_series(0, 9) s) x;

INSERT INTO traces (project_id, id, name, user_id, session_id, release, tags, metadata, input,
                    output, start_time, end_time, status, span_count, span_errors, input_tokens,
                    output_tokens, total_cost, span_start, span_end, sort_time, is_error)
SELECT :'project'::uuid, trace_id,
       (ARRAY['chat', 'rag-answer', 'summarize', 'classify-ticket', 'extract-entities', 'translate',
              'agent-run', 'code-review', 'sql-assistant', 'search-rerank', 'email-draft',
              'moderation', 'qa-eval', 'embedding-refresh', 'doc-ingest', 'support-bot', 'planner',
              'router', 'tool-call', 'title-generator'])[1 + t % 20],
       'user-' || t % 1000, 'session-' || t % 5000, '1.' || t % 5 || '.0',
       ARRAY['env-' || t % 3, 'tier-' || t % 4],
       '{"region": "eu-west", "seeded": true}'::jsonb,
       jsonb_build_object('question', 'How do I rotate my API key? (request ' || t || ')'),
       '{"answer": "Open the project settings, create a new key, then revoke the old one."}'::jsonb,
       min(start_time), max(end_time), CASE WHEN t % 29 = 0 THEN 'error' ELSE 'ok' END,
       count(*), count(*) FILTER (WHERE status = 'error'),
       COALESCE(sum(input_tokens), 0), COALESCE(sum(output_tokens), 0),
       COALESCE(sum(input_tokens * 0.0000025 + output_tokens * 0.00001), 0),
       min(start_time), max(end_time), min(start_time),
       t % 29 = 0 OR count(*) FILTER (WHERE status = 'error') > 0
  FROM seed_spans
 GROUP BY t, trace_id;

INSERT INTO spans (project_id, trace_id, id, parent_id, name, kind, start_time, end_time, status,
                   status_message, model, input_tokens, output_tokens, cost_usd, input, output,
                   attributes)
SELECT :'project'::uuid, trace_id, id, parent_id, kind || '-' || s, kind, start_time, end_time,
       status, CASE WHEN status = 'error' THEN 'rate limited by provider' END, model,
       input_tokens, output_tokens,
       CASE WHEN model IS NOT NULL THEN input_tokens * 0.0000025 + output_tokens * 0.00001 END,
       jsonb_build_object('query', 'ticket ' || (t * 100 + s)),
       '{"content": "The customer cannot log in after the password reset."}'::jsonb,
       jsonb_build_object('component', kind)
  FROM seed_spans
 ORDER BY trace_id, id;

-- Committed synchronously, this flushes the WAL of the asynchronous commits above: until their
-- commit records are on disk, VACUUM cannot mark their rows' pages all-visible (it left 45 % of
-- them unmarked), and the stats' index-only scan then reads the table as well.
RESET synchronous_commit;
DROP TABLE seed_spans;
VACUUM ANALYZE traces;
VACUUM ANALYZE spans;
VACUUM ANALYZE scores;
