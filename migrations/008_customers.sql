-- Customers (issue 9): the customer record grows a profile (language, time zone, linked ERP customer, contact
-- dates, custom attributes), tags (automatic with their reason, or manual), saved segments, per-tenant settings by
-- section, an audit of administrative writes (exports, erasures, retention runs), and the intent of each agent turn.

ALTER TABLE customers
  ADD COLUMN language          text,
  ADD COLUMN country           text,
  -- IANA zone ('Europe/Madrid'); from the phone's country code unless an admin set it (time_zone_source = 'manual')
  ADD COLUMN time_zone         text,
  ADD COLUMN time_zone_source  text CHECK (time_zone_source IN ('phone', 'manual')),
  ADD COLUMN erp_customer_id   text,
  ADD COLUMN first_contact_at  timestamptz,
  ADD COLUMN last_contact_at   timestamptz,
  ADD COLUMN attributes        jsonb NOT NULL DEFAULT '{}',
  -- Set when the customer's personal data was erased (GDPR): the row stays as an anonymous anchor for aggregates.
  ADD COLUMN erased_at         timestamptz;
-- An erased customer keeps no identity at all.
ALTER TABLE customers DROP CONSTRAINT customers_check,
  ADD CONSTRAINT customers_identity CHECK (bsuid IS NOT NULL OR wa_id IS NOT NULL OR erased_at IS NOT NULL);
CREATE INDEX customers_tenant_contact ON customers (tenant_id, last_contact_at DESC NULLS LAST, id DESC);

-- Tags: automatic ones are recomputed from the conversation record and say why; manual ones are never touched by the
-- automatic rules. One row per (customer, tag).
CREATE TABLE customer_tags (
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  tag          text NOT NULL CHECK (tag ~ '^[a-z0-9][a-z0-9_:.-]{0,63}$'),
  source       text NOT NULL CHECK (source IN ('auto', 'manual')),
  -- auto: the rule that set it and what it saw ("turn 812 used request_return"); manual: who set it
  reason       text,
  evidence     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tenant_tag ON customer_tags (tenant_id, tag, customer_id);

-- Segments are saved filters (customers/segment-filter.ts validates and compiles them).
CREATE TABLE segments (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name        text NOT NULL,
  filter      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- Per-tenant settings, one JSON document per section ('tagging', 'automations', 'privacy', ...); each owning module
-- validates its own section with zod and supplies the defaults.
CREATE TABLE tenant_settings (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  section     text NOT NULL,
  settings    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, section)
);

-- Administrative writes and privacy operations. `details` never holds personal data (ids and counts only), so the
-- audit survives the erasure it records.
CREATE TABLE admin_audit (
  id            bigserial PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  actor         text NOT NULL,
  action        text NOT NULL,
  subject_type  text,
  subject_id    text,
  details       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_subject ON admin_audit (tenant_id, subject_type, subject_id, id);

-- What the customer's message in a turn was about (agent/text/intents.ts classifyIntent): reports count them and
-- automatic tags read them. NULL for turns recorded before this migration.
ALTER TABLE agent_turns ADD COLUMN intent text;
CREATE INDEX agent_turns_tenant_created ON agent_turns (tenant_id, created_at);
