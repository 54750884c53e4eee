-- Foundation: tenants and their numbers, the durable webhook inbox, and the conversation record.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Each business phone number (metadata.phone_number_id in webhooks) belongs to one tenant.
CREATE TABLE phone_numbers (
  phone_number_id       text PRIMARY KEY,
  tenant_id             text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  display_phone_number  text,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX phone_numbers_tenant ON phone_numbers (tenant_id);

-- Every signed POST, kept exactly as received: Meta offers no API to fetch past webhooks.
CREATE TABLE webhook_deliveries (
  id           uuid PRIMARY KEY,
  received_at  timestamptz NOT NULL DEFAULT now(),
  request_id   text,
  outcome      text NOT NULL CHECK (outcome IN ('accepted', 'partial', 'unexpected_shape')),
  problems     jsonb,
  event_count  integer NOT NULL DEFAULT 0,
  body         text NOT NULL
);
CREATE INDEX webhook_deliveries_flagged ON webhook_deliveries (received_at) WHERE outcome <> 'accepted';

-- Normalized events: the durable queue the worker drains in order per conversation.
-- Dedup: one row per (business number, message id) and per (business number, message id, status).
CREATE TABLE webhook_events (
  id                bigserial PRIMARY KEY,
  delivery_id       uuid NOT NULL,
  phone_number_id   text NOT NULL,
  tenant_id         text REFERENCES tenants (id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('message', 'status', 'error', 'change')),
  dedup_key         text NOT NULL,
  conversation_key  text NOT NULL,
  occurred_at       timestamptz NOT NULL,
  payload           jsonb NOT NULL,
  state             text NOT NULL CHECK (state IN ('pending', 'done', 'dead', 'unroutable')),
  attempts          integer NOT NULL DEFAULT 0,
  available_at      timestamptz NOT NULL DEFAULT now(),
  last_error        text,
  processed_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (phone_number_id, dedup_key)
);
CREATE INDEX webhook_events_pending ON webhook_events (conversation_key, occurred_at, id) WHERE state = 'pending';
CREATE INDEX webhook_events_unroutable ON webhook_events (phone_number_id) WHERE state = 'unroutable';

-- A worker holds a conversation's lease while it processes that conversation's events, one at a time.
CREATE TABLE conversation_leases (
  conversation_key  text PRIMARY KEY,
  owner             text NOT NULL,
  expires_at        timestamptz NOT NULL
);

-- Customers are keyed on the business-scoped user id (BSUID) when Meta sends one, else on wa_id.
CREATE TABLE customers (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  bsuid       text,
  wa_id       text,
  username    text,
  name        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (bsuid IS NOT NULL OR wa_id IS NOT NULL),
  UNIQUE (tenant_id, bsuid),
  UNIQUE (tenant_id, wa_id)
);

-- One conversation thread per customer per business number.
CREATE TABLE conversations (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id      bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  phone_number_id  text NOT NULL,
  owner            text NOT NULL DEFAULT 'bot' CHECK (owner IN ('bot', 'human', 'closed')),
  last_inbound_at  timestamptz,
  last_message_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (phone_number_id, customer_id)
);
CREATE INDEX conversations_tenant_recent ON conversations (tenant_id, last_message_at DESC NULLS LAST, id DESC);

CREATE TABLE messages (
  id                     bigserial PRIMARY KEY,
  tenant_id              text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id        bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  direction              text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  wa_message_id          text,
  type                   text NOT NULL,
  text                   text,
  payload                jsonb NOT NULL,
  context_wa_message_id  text,
  status                 text,
  status_at              timestamptz,
  error                  jsonb,
  sent_at                timestamptz NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, wa_message_id)
);
CREATE INDEX messages_conversation ON messages (conversation_id, sent_at, id);

-- How far along a message is: a status only ever moves a message forward (Meta does not guarantee order).
CREATE FUNCTION message_status_rank(s text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE s WHEN 'queued' THEN 0 WHEN 'received' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2
                WHEN 'read' THEN 3 WHEN 'played' THEN 4 WHEN 'failed' THEN 5 ELSE -1 END
$$;

-- Every status Meta reported for a message, kept even when it arrives before the message is recorded;
-- messages.status is the furthest state reached (statuses are applied monotonically).
CREATE TABLE message_statuses (
  id             bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  wa_message_id  text NOT NULL,
  status         text NOT NULL,
  occurred_at    timestamptz NOT NULL,
  errors         jsonb,
  pricing        jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, wa_message_id, status)
);
