-- Campaigns (issue 9): an approved template sent to a segment's opted-in customers, in each customer's allowed hours,
-- through the outbox. One recipient row per targeted customer records what happened to them. Recipient rows hold
-- ids, states, reason codes and timestamps only, never personal data: GDPR erasure anonymizes the customer in place
-- and these rows stay behind as anonymous aggregates.

CREATE TABLE campaigns (
  id                 bigserial PRIMARY KEY,
  tenant_id          text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name               text NOT NULL,
  template_name      text NOT NULL,
  template_language  text NOT NULL,
  -- where each body parameter comes from: [{"attribute": "first_name", "fallback": "there"}, {"field": "name"}, {"value": "x"}]
  parameters         jsonb NOT NULL DEFAULT '[]',
  -- the saved segment it was created from (for reference) and the filter as it was then (what is targeted)
  segment_id         bigint REFERENCES segments (id) ON DELETE SET NULL,
  segment_filter     jsonb NOT NULL,
  send_at            timestamptz NOT NULL,
  -- allowed sending hours {start, end} ("09:00"-"20:00") in each customer's zone; NULL: the tenant's default
  allowed_hours      jsonb,
  status             text NOT NULL DEFAULT 'scheduled'
                       CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled', 'failed')),
  failure            text,
  -- keyset cursor of recipient materialization (the last customer id copied), so a restart continues where it stopped
  materialized_to    bigint,
  materialized_at    timestamptz,
  -- the lease: one process works a campaign at a time; a crashed process's lease expires
  locked_by          text,
  locked_until       timestamptz,
  next_run_at        timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz
);
CREATE INDEX campaigns_tenant ON campaigns (tenant_id, id DESC);
CREATE INDEX campaigns_due ON campaigns (next_run_at, id) WHERE status IN ('scheduled', 'sending');

CREATE TABLE campaign_recipients (
  campaign_id      bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  customer_id      bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- pending: not looked at yet; deferred: outside the allowed hours, retried at next_attempt_at; queued: in the
  -- outbox (message_id); skipped: never messaged (skip_reason)
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'deferred', 'queued', 'skipped')),
  skip_reason      text CHECK (skip_reason ~ '^[a-z_]{1,40}$'),
  message_id       bigint REFERENCES messages (id) ON DELETE SET NULL,
  next_attempt_at  timestamptz NOT NULL,
  queued_at        timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX campaign_recipients_due ON campaign_recipients (campaign_id, next_attempt_at) WHERE state IN ('pending', 'deferred');
CREATE INDEX campaign_recipients_message ON campaign_recipients (message_id) WHERE message_id IS NOT NULL;

-- A customer's conversations (conversations are keyed by business number first): campaigns look up the one to queue
-- into and the welcome automation checks for earlier messages, per customer. IF NOT EXISTS: another part of issue 9
-- may need the same index.
CREATE INDEX IF NOT EXISTS conversations_customer ON conversations (customer_id);
