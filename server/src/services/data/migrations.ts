/**
 * The schema, as numbered SQL migrations. Append only: an applied migration
 * is never edited (migrate.ts refuses to start when an applied migration's
 * checksum differs), a change is a new migration. Each runs inside the
 * migration transaction with search_path set to the server's schema, so the
 * SQL names tables without a schema. Statements that cannot run in a
 * transaction (CREATE INDEX CONCURRENTLY) do not belong here.
 */

/** One migration. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'domains, users, tokens, plan history',
    sql: `
CREATE TABLE domains (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  name text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  created_unix_ms bigint NOT NULL,
  source_text text,
  source_file text,
  model jsonb,
  CHECK (source_text IS NOT NULL OR model IS NOT NULL)
);
CREATE INDEX domains_by_name ON domains (name, version);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'planner', 'admin')),
  disabled boolean NOT NULL DEFAULT false,
  -- Tokens carry the generation they were issued under; raising it revokes them all.
  token_generation integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  deleted_at timestamptz
);
-- Names are unique among live users, ignoring case; a deleted user's name can be reused.
CREATE UNIQUE INDEX users_by_username ON users (lower(username)) WHERE deleted_at IS NULL;
CREATE INDEX users_by_update ON users (updated_at);

CREATE TABLE refresh_tokens (
  jti uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- One login's chain of refresh tokens; reuse of a spent one revokes the family.
  family_id uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  used_at timestamptz,
  -- The token that replaced it: lets a retried refresh recognise its own earlier success.
  replaced_by uuid,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

-- Access tokens revoked before they expire; rows go once they would have expired.
CREATE TABLE revoked_tokens (
  jti uuid PRIMARY KEY,
  user_id uuid,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX revoked_tokens_by_time ON revoked_tokens (revoked_at);

CREATE TABLE plan_history (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  username text NOT NULL DEFAULT '',
  method text NOT NULL,
  domain_id text NOT NULL,
  domain_name text NOT NULL,
  status text NOT NULL,
  plan_length integer NOT NULL DEFAULT 0,
  duration_ms double precision NOT NULL DEFAULT 0
);
CREATE INDEX plan_history_by_time ON plan_history (created_at DESC);
CREATE INDEX plan_history_by_domain ON plan_history (domain_name, created_at DESC);
`,
  },
  {
    version: 2,
    name: 'storage: asset versions',
    sql: `
-- One row per version of a stored asset (services/storage). The .caibx index
-- itself is kept here, so that a version and its index appear in one insert:
-- a put killed before it leaves chunks (garbage collection's) but no version.
CREATE TABLE storage_assets (
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  version integer NOT NULL CHECK (version >= 1),
  size bigint NOT NULL CHECK (size >= 0),
  chunk_count integer NOT NULL CHECK (chunk_count >= 0),
  index_digest text NOT NULL CHECK (index_digest ~ '^[0-9a-f]{64}$'),
  index_bytes bytea NOT NULL,
  owner text NOT NULL DEFAULT '',
  created_unix_ms bigint NOT NULL,
  PRIMARY KEY (name, version)
);
-- Versions are never reused, even after a delete: the highest ever given per name.
CREATE TABLE storage_asset_names (
  name text PRIMARY KEY,
  last_version integer NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'workflow: SOPs, runs, steps',
    sql: `
-- SOP revisions (services/workflow): the validated document as JSON; a new
-- PutSop of a name is the next revision, never an overwrite.
CREATE TABLE workflow_sops (
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  revision integer NOT NULL CHECK (revision >= 1),
  version_label text NOT NULL,
  document jsonb NOT NULL,
  owner text NOT NULL DEFAULT '',
  created_unix_ms bigint NOT NULL,
  PRIMARY KEY (name, revision)
);
-- One row per run: where it is (status, the current plan and the cursor in
-- it), its state, and the commands banned by repairs. A step's completion
-- and the run's move past it are written in one transaction.
CREATE TABLE workflow_runs (
  id uuid PRIMARY KEY,
  sop_name text NOT NULL,
  sop_revision integer NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'waiting', 'paused', 'completed', 'failed', 'cancelled')),
  state jsonb NOT NULL,
  plan jsonb NOT NULL,
  plan_cursor integer NOT NULL CHECK (plan_cursor >= 0),
  banned jsonb NOT NULL,
  repairs integer NOT NULL DEFAULT 0,
  message text NOT NULL DEFAULT '',
  owner text NOT NULL DEFAULT '',
  created_unix_ms bigint NOT NULL,
  updated_unix_ms bigint NOT NULL,
  FOREIGN KEY (sop_name, sop_revision) REFERENCES workflow_sops (name, revision)
);
CREATE INDEX workflow_runs_by_time ON workflow_runs (created_unix_ms DESC);
CREATE INDEX workflow_runs_unfinished ON workflow_runs (status) WHERE status IN ('running', 'waiting');
-- Each step, written before it runs (status running) and after (completed,
-- failed, waiting for approval, cancelled); the key is given to the command.
CREATE TABLE workflow_steps (
  run_id uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  step_index integer NOT NULL CHECK (step_index >= 0),
  command text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'cancelled')),
  idempotency_key text NOT NULL UNIQUE,
  attempts integer NOT NULL DEFAULT 1,
  state_before jsonb NOT NULL,
  state_after jsonb,
  message text NOT NULL DEFAULT '',
  started_unix_ms bigint NOT NULL,
  ended_unix_ms bigint,
  PRIMARY KEY (run_id, step_index)
);
`,
  },
];
