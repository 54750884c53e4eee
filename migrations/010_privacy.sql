-- Privacy (issue 9): media files waiting to be removed from storage after an erasure or a retention run, and the
-- day each tenant's retention job last ran.

-- Storage deletes cannot join the database transaction, so the transaction records the keys here and they are
-- removed after COMMIT; a crash or a storage error leaves the row, and the next run (or a repeated DELETE) retries.
-- Keys are content hashes (`<tenant>/<sha256>`): a key still referenced by another media_files row is kept.
CREATE TABLE media_deletions (
  storage_key  text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  reason       text NOT NULL CHECK (reason IN ('erase', 'retention')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- At most one scheduled retention run per tenant per (UTC) day, across restarts and instances: a run claims the
-- day by moving last_run_on forward in the same transaction as its deletes.
CREATE TABLE retention_runs (
  tenant_id    text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  last_run_on  date NOT NULL,
  last_run_at  timestamptz NOT NULL DEFAULT now()
);
