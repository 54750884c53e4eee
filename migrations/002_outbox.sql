-- Sending: outbound messages are rows first (the outbox), then sent by the sender worker.
-- Also: templates, consent (opt-in/opt-out history), inbound media files, per-number sending state, the sandbox.

-- The outbox lives in `messages` (direction = 'outbound'), so the transcript and the queue are one table.
ALTER TABLE messages
  ADD COLUMN idempotency_key   text,
  ADD COLUMN category          text CHECK (category IN ('service', 'marketing', 'utility', 'authentication')),
  ADD COLUMN source            text,
  ADD COLUMN body              jsonb,
  ADD COLUMN recipient         jsonb,
  ADD COLUMN attempts          integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at   timestamptz,
  ADD COLUMN sending_since     timestamptz,
  ADD COLUMN error_code        integer,
  ADD COLUMN error_title       text,
  ADD COLUMN accepted_at       timestamptz;
CREATE UNIQUE INDEX messages_idempotency ON messages (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_outbox_ready ON messages (next_attempt_at, id) WHERE direction = 'outbound' AND status = 'queued';
CREATE INDEX messages_outbox_sending ON messages (sending_since) WHERE direction = 'outbound' AND status = 'sending';

-- queued (in the outbox) < sending (handed to the API) < accepted (API returned a wamid) < sent < delivered < read
-- < played; failed is terminal. Received is for inbound messages.
CREATE OR REPLACE FUNCTION message_status_rank(s text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE s WHEN 'queued' THEN 0 WHEN 'received' THEN 0 WHEN 'sending' THEN 1 WHEN 'accepted' THEN 2
                WHEN 'sent' THEN 3 WHEN 'delivered' THEN 4 WHEN 'read' THEN 5 WHEN 'played' THEN 6
                WHEN 'failed' THEN 7 ELSE -1 END
$$;

-- Per business number: throughput and pauses (190/0 pause everything; 131048/368 pause bulk sends).
ALTER TABLE phone_numbers
  ADD COLUMN throughput_mps     integer NOT NULL DEFAULT 80 CHECK (throughput_mps > 0),
  ADD COLUMN paused_until       timestamptz,
  ADD COLUMN pause_reason       text,
  ADD COLUMN bulk_paused_until  timestamptz,
  ADD COLUMN bulk_pause_reason  text;

-- A 131047 from Meta closes the window early (Meta's clock wins over ours).
ALTER TABLE conversations ADD COLUMN window_closed_at timestamptz;

CREATE TABLE templates (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name        text NOT NULL,
  language    text NOT NULL,
  category    text NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication')),
  status      text NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'pending', 'rejected', 'paused', 'disabled')),
  body        text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name, language)
);

-- Consent history: the latest row per (customer, topic) is the current state.
CREATE TABLE consents (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  topic        text NOT NULL DEFAULT 'marketing',
  action       text NOT NULL CHECK (action IN ('opt_in', 'opt_out')),
  source       text NOT NULL,
  text_shown   text,
  evidence     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_current ON consents (customer_id, topic, created_at DESC, id DESC);

CREATE TABLE media_files (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  message_id       bigint REFERENCES messages (id) ON DELETE CASCADE,
  media_id         text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed')),
  mime_type        text,
  size_bytes       bigint,
  sha256           text,
  storage_key      text,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  stored_at        timestamptz,
  UNIQUE (tenant_id, media_id)
);
CREATE INDEX media_files_pending ON media_files (next_attempt_at) WHERE status = 'pending';

-- What the built-in sandbox (the fake Graph API used when no access token is configured) received.
CREATE TABLE sandbox_messages (
  id               bigserial PRIMARY KEY,
  wamid            text NOT NULL UNIQUE,
  phone_number_id  text NOT NULL,
  recipient        text NOT NULL,
  type             text NOT NULL,
  body             jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_messages_recipient ON sandbox_messages (recipient, id);
