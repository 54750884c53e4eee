-- The agent (issue 6): per-tenant profiles that build the system prompt, per-conversation turn state (the last
-- inbound message a turn has dealt with, so a restart can pick up unanswered messages), and one trace row per turn.
-- LangGraph's checkpoints live in their own schema, created and versioned by PostgresSaver.setup().
CREATE SCHEMA IF NOT EXISTS agent_checkpoints;

CREATE TABLE agent_profiles (
  tenant_id   text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  profile     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agent_conversation_state (
  conversation_id  bigint PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  last_message_id  bigint NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agent_turns (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id  bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  message_ids      bigint[] NOT NULL,
  -- replied | escalated | stale (a newer message arrived; reply dropped) | skipped (not the bot's) | failed
  status           text NOT NULL,
  decision         text,
  reason           text,
  language         text,
  provider         text,
  model            text,
  input_tokens     integer,
  output_tokens    integer,
  cost_usd         numeric(12, 6),
  duration_ms      integer NOT NULL,
  reply            text,
  trace            jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_turns_conversation ON agent_turns (conversation_id, id);
