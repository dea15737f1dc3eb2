-- Datasets, their items, experiments over them, results and scores (API.md section 6).

-- item_count is kept by the item upsert (ExperimentSql.UPSERT_ITEMS) in the same statement, so an
-- experiment's summary never counts a large dataset's items.
CREATE TABLE datasets (
  id          uuid PRIMARY KEY,
  project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name        text NOT NULL,
  description text,
  item_count  bigint NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  UNIQUE (project_id, name)
);

-- the dataset list: newest first, keyset on (created_at, id)
CREATE INDEX datasets_by_project ON datasets (project_id, created_at DESC, id DESC);

-- Items are upserted by (dataset_id, id); an item's created_at never changes, so the list's keyset
-- on (created_at, id) is stable under concurrent upserts.
CREATE TABLE dataset_items (
  dataset_id      uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  id              text NOT NULL,
  input           jsonb NOT NULL,
  expected_output jsonb,
  metadata        jsonb,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (dataset_id, id)
);

-- the item list, oldest first
CREATE INDEX dataset_items_in_order ON dataset_items (dataset_id, created_at, id);

-- revision counts the writes that change an experiment's summary (results, scores, completion):
-- a summary computed at one revision is reused until the next (ExperimentSummaries).
CREATE TABLE experiments (
  id           uuid PRIMARY KEY,
  project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  dataset_id   uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  name         text NOT NULL,
  model_config jsonb,
  evaluators   jsonb NOT NULL DEFAULT '[]'::jsonb,
  metadata     jsonb,
  status       text NOT NULL CHECK (status IN ('running', 'completed')),
  revision     bigint NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL,
  completed_at timestamptz
);

-- One result per item of an experiment; re-sending it replaces it (version counts the writes, so
-- an evaluation of an older output never overwrites the scores of a newer one). evaluated_at is
-- null while the experiment's evaluators have yet to score this version.
CREATE TABLE experiment_results (
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  item_id       text NOT NULL,
  output        jsonb NOT NULL,
  trace_id      text,
  latency_ms    double precision,
  input_tokens  bigint,
  output_tokens bigint,
  cost_usd      double precision,
  version       integer NOT NULL DEFAULT 1,
  evaluated_at  timestamptz,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (experiment_id, item_id)
);

-- the results list, oldest first; its INCLUDE columns let the summary's aggregates read the index
-- alone once the table is vacuumed
CREATE INDEX experiment_results_in_order ON experiment_results (experiment_id, created_at, item_id)
  INCLUDE (latency_ms, cost_usd);

-- results still waiting for their evaluators (the summary's pending count)
CREATE INDEX experiment_results_pending ON experiment_results (experiment_id)
  WHERE evaluated_at IS NULL;

-- A score per (experiment, item, name): sent with the result (source api) or written by an
-- evaluator (source eval). The key serves the scores of one result (results list, upserts, the
-- cascade from results); experiment_scores_by_name the summary's aggregates per name and the
-- compare's join of two experiments, walked in order from the index alone.
CREATE TABLE experiment_scores (
  experiment_id uuid NOT NULL,
  item_id       text NOT NULL,
  name          text NOT NULL,
  value         double precision NOT NULL,
  source        text NOT NULL CHECK (source IN ('api', 'eval')),
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (experiment_id, item_id, name),
  FOREIGN KEY (experiment_id, item_id) REFERENCES experiment_results (experiment_id, item_id)
    ON DELETE CASCADE
);

CREATE INDEX experiment_scores_by_name ON experiment_scores (experiment_id, name, item_id)
  INCLUDE (value);
