-- Versioned model configs (API.md section 7). A version is immutable once written; versions of a
-- name count 1, 2, … within its project, allocated under an advisory lock on (project, name)
-- (ModelConfigSql.LOCK_NAME), so concurrent creates of one name get consecutive versions.
-- The primary key serves every read: one name's newest version or a given one
-- (ORDER BY version DESC LIMIT 1), all its versions newest first, and the newest version of each
-- name of a project (DISTINCT ON (name) … ORDER BY name, version DESC).
CREATE TABLE model_configs (
  project_id      uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name            text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  provider        text NOT NULL,
  model           text NOT NULL,
  parameters      jsonb NOT NULL DEFAULT '{}'::jsonb,
  prompt_template text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, name, version)
);

-- A label names one version of a name; moving it replaces the row. Its primary key serves the
-- read by label and, by its (project_id, name) prefix, the labels of a name's versions.
CREATE TABLE model_config_labels (
  project_id uuid NOT NULL,
  name       text NOT NULL,
  label      text NOT NULL,
  version    integer NOT NULL,
  PRIMARY KEY (project_id, name, label),
  FOREIGN KEY (project_id, name, version) REFERENCES model_configs (project_id, name, version)
    ON DELETE CASCADE
);
