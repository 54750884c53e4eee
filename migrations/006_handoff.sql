-- Human handoff (issue 7): agents and their sessions, the handoff queue, internal notes, and CSAT.
-- conversations.owner ('bot' | 'human' | 'closed') already exists since 001_init; a hand-back to the bot sets
-- bot_context_since so the bot reads the conversation from that moment on and does not hand off again on the
-- messages that caused the first handoff.
ALTER TABLE conversations ADD COLUMN bot_context_since timestamptz;

CREATE TABLE agents (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name            text NOT NULL,
  role            text NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'admin')),
  skills          text[] NOT NULL DEFAULT '{}',
  -- primary language subtags, lower case ('es', 'pt')
  languages       text[] NOT NULL DEFAULT '{}',
  max_concurrent  integer NOT NULL DEFAULT 5 CHECK (max_concurrent BETWEEN 0 AND 100),
  status          text NOT NULL DEFAULT 'away' CHECK (status IN ('online', 'away')),
  -- sha256 of the personal API token; the token itself is shown once
  token_hash      text NOT NULL UNIQUE,
  last_assigned_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_tenant ON agents (tenant_id, status);

-- Console sessions (cookie): sha256 of the session id.
CREATE TABLE agent_sessions (
  id_hash     text PRIMARY KEY,
  agent_id    bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE handoffs (
  id                    bigserial PRIMARY KEY,
  tenant_id             text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id       bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  status                text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'assigned', 'resolved')),
  reason                text NOT NULL CHECK (reason IN ('customer_request', 'no_grounded_answer', 'tool_unavailable',
                                                        'sensitive_topic', 'anger', 'model_error', 'other')),
  priority              text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  priority_rank         smallint GENERATED ALWAYS AS (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2
                                                      WHEN 'normal' THEN 1 ELSE 0 END) STORED,
  language              text,
  skill                 text,
  summary               jsonb NOT NULL,
  assignee_id           bigint REFERENCES agents (id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  assigned_at           timestamptz,
  first_human_reply_at  timestamptz,
  resolved_at           timestamptz,
  returned_to_bot       boolean,
  csat_requested_at     timestamptz,
  csat_score            smallint CHECK (csat_score BETWEEN 1 AND 5),
  csat_answered_at      timestamptz
);
-- At most one open handoff per conversation: createHandoff relies on it to be idempotent.
CREATE UNIQUE INDEX handoffs_one_open ON handoffs (conversation_id) WHERE status <> 'resolved';
CREATE INDEX handoffs_queue ON handoffs (tenant_id, priority_rank DESC, created_at, id) WHERE status = 'waiting';
CREATE INDEX handoffs_assignee ON handoffs (assignee_id) WHERE status = 'assigned';

-- Internal notes and the handoff's own history (transfers): never sent to the customer.
CREATE TABLE conversation_notes (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id  bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  handoff_id       bigint REFERENCES handoffs (id) ON DELETE CASCADE,
  agent_id         bigint REFERENCES agents (id) ON DELETE SET NULL,
  kind             text NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'event')),
  text             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_notes_conversation ON conversation_notes (conversation_id, id);
