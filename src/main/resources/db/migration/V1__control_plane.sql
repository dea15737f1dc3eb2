-- People, projects and API keys (API.md section 3).

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL,
  name          text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- signup conflict check and login lookup: emails compare case-insensitively
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,           -- SHA-256 of the bearer token; the token itself is never stored
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
-- the cascade from users and the clean-up of a user's sessions
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE projects (
  id             uuid PRIMARY KEY,
  name           text NOT NULL,
  retention_days integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_members (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('owner', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- led by user_id: "my projects" and "am I a member of this project" are both prefix lookups
  PRIMARY KEY (user_id, project_id)
);
-- the cascade from projects
CREATE INDEX project_members_project_idx ON project_members (project_id);

CREATE TABLE api_keys (
  id         uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name       text NOT NULL,
  key_hash   bytea NOT NULL,               -- SHA-256 of the key; the plaintext is shown once
  key_prefix text NOT NULL,                -- first characters, so people can tell keys apart
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
-- every API-key request resolves its key by hash
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
-- the key list of a project
CREATE INDEX api_keys_project_idx ON api_keys (project_id, created_at);
