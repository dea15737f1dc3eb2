-- Traces, spans and scores (API.md sections 4 and 5). Every key and index is led by project_id:
-- no query ever reads across projects.

CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE traces (
  project_id    uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id            text NOT NULL,
  name          text,
  user_id       text,
  session_id    text,
  release       text,
  tags          text[],                   -- null reads as []: absent keeps earlier tags on upsert
  metadata      jsonb,
  input         jsonb,
  output        jsonb,
  start_time    timestamptz,              -- as sent; null until the trace itself arrives
  end_time      timestamptz,
  status        text,                     -- as sent: 'ok' | 'error' | null
  -- derived from the trace's spans, recomputed in the transaction that writes them
  span_count    integer NOT NULL DEFAULT 0,
  span_errors   integer NOT NULL DEFAULT 0,
  input_tokens  bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  total_cost    double precision NOT NULL DEFAULT 0,
  span_start    timestamptz,
  span_end      timestamptz,
  -- the start time the list is ordered by: the trace's own, else its first span's, else arrival
  sort_time     timestamptz NOT NULL,
  is_error      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, id)
);

-- the trace list, newest first, with keyset pagination and from/to; also stats without a filter
CREATE INDEX traces_list_idx ON traces (project_id, sort_time DESC, id DESC);
-- the list filtered by one field (the keyset order follows the equality prefix)
CREATE INDEX traces_name_idx ON traces (project_id, name, sort_time DESC, id DESC);
CREATE INDEX traces_user_idx ON traces (project_id, user_id, sort_time DESC, id DESC);
CREATE INDEX traces_session_idx ON traces (project_id, session_id, sort_time DESC, id DESC);
CREATE INDEX traces_release_idx ON traces (project_id, release, sort_time DESC, id DESC);
-- status=error: errors are the minority, so a partial index stays small
CREATE INDEX traces_error_idx ON traces (project_id, sort_time DESC, id DESC) WHERE is_error;
-- tag=…: containment of all requested tags, within one project
CREATE INDEX traces_tags_idx ON traces USING gin (project_id, tags);

CREATE TABLE spans (
  project_id     uuid NOT NULL,
  trace_id       text NOT NULL,
  id             text NOT NULL,
  parent_id      text,
  name           text,
  kind           text,                  -- null reads as 'other': absent fields keep earlier values on upsert
  start_time     timestamptz,
  end_time       timestamptz,
  status         text,                  -- null reads as 'ok'
  status_message text,
  model          text,
  input_tokens   bigint,
  output_tokens  bigint,
  cost_usd       double precision,
  input          jsonb,
  output         jsonb,
  attributes     jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- a span is identified within its trace; the prefix (project_id, trace_id) serves the trace
  -- detail, the derived-field recomputation and the delete
  PRIMARY KEY (project_id, trace_id, id),
  FOREIGN KEY (project_id, trace_id) REFERENCES traces (project_id, id) ON DELETE CASCADE
);
-- stats grouped by model are counted over spans in a time range
CREATE INDEX spans_time_idx ON spans (project_id, start_time)
  INCLUDE (model, end_time, status, input_tokens, output_tokens, cost_usd);

CREATE TABLE scores (
  project_id  uuid NOT NULL,
  id          text NOT NULL,
  trace_id    text NOT NULL,
  span_id     text,
  name        text NOT NULL,
  value_num   double precision,
  value_label text,
  source      text,                     -- null reads as 'api'
  comment     text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, id),
  FOREIGN KEY (project_id, trace_id) REFERENCES traces (project_id, id) ON DELETE CASCADE
);
-- the scores of one trace (detail, delete cascade)
CREATE INDEX scores_trace_idx ON scores (project_id, trace_id);
