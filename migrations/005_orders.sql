-- Orders and logistics (issue 5): the demo ERP's tables, per-tenant ERP integrations, the conversation's verified
-- ERP identity, pending write actions awaiting the customer's Yes/No, and the audit trail of every write.

-- The demo ERP ("erp_" prefix): a fictional store seeded at first start, or the τ-bench retail data
-- (npm run erp:import-tau). A real business uses the http adapter instead and these stay empty for it.
CREATE TABLE erp_products (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  product_id  text NOT NULL,
  name        text NOT NULL,
  PRIMARY KEY (tenant_id, product_id)
);

CREATE TABLE erp_variants (
  tenant_id   text NOT NULL,
  item_id     text NOT NULL,
  product_id  text NOT NULL,
  options     jsonb NOT NULL DEFAULT '{}',
  price       numeric(12, 2) NOT NULL,
  available   boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, item_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES erp_products (tenant_id, product_id) ON DELETE CASCADE
);

CREATE TABLE erp_customers (
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id  text NOT NULL,
  name         text NOT NULL,
  email        text NOT NULL,
  -- digits only (WhatsApp's wa_id form), so a conversation's number matches without formatting rules
  phone        text,
  address      jsonb NOT NULL,
  extra        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX erp_customers_phone ON erp_customers (tenant_id, phone);

CREATE TABLE erp_orders (
  tenant_id     text NOT NULL,
  order_id      text NOT NULL,
  customer_id   text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'processed', 'shipped', 'delivered', 'cancelled', 'return_requested')),
  placed_at     timestamptz,
  currency      text NOT NULL DEFAULT 'USD',
  -- [{itemId, productId, name, options, price}] as in τ-bench; one line per unit
  items         jsonb NOT NULL,
  address       jsonb NOT NULL,
  return_items  jsonb NOT NULL DEFAULT '[]',
  extra         jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, order_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES erp_customers (tenant_id, customer_id) ON DELETE CASCADE
);
CREATE INDEX erp_orders_customer ON erp_orders (tenant_id, customer_id, placed_at DESC);

CREATE TABLE erp_shipments (
  tenant_id           text NOT NULL,
  tracking_id         text NOT NULL,
  order_id            text NOT NULL,
  carrier             text,
  status              text NOT NULL,
  estimated_delivery  date,
  item_ids            jsonb NOT NULL DEFAULT '[]',
  -- [{at, status, location, description}], oldest first
  events              jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, tracking_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES erp_orders (tenant_id, order_id) ON DELETE CASCADE
);
CREATE INDEX erp_shipments_order ON erp_shipments (tenant_id, order_id);

-- The demo ERP's own idempotency: a write with a key it has seen returns the first result.
CREATE TABLE erp_write_requests (
  tenant_id        text NOT NULL,
  idempotency_key  text NOT NULL,
  result           jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, idempotency_key)
);

-- Which ERP a tenant's tools talk to (demo or http with endpoints and mappings). Secrets are env var names only.
CREATE TABLE order_integrations (
  tenant_id   text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  config      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The ERP customer a conversation is linked to: by its WhatsApp number, or after verify_identity.
CREATE TABLE order_identity_links (
  conversation_id  bigint PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  erp_customer_id  text NOT NULL,
  method           text NOT NULL CHECK (method IN ('phone', 'order_email', 'order_postal_code')),
  linked_at        timestamptz NOT NULL DEFAULT now()
);

-- Failed verify_identity attempts, to stop a conversation from guessing its way into someone's account.
CREATE TABLE order_verification_failures (
  id               bigserial PRIMARY KEY,
  conversation_id  bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_verification_failures_conv ON order_verification_failures (conversation_id, at);

-- A write the customer has been asked to confirm. Executed only by confirmPendingAction, at most once.
CREATE TABLE order_pending_actions (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id  bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  erp_customer_id  text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('cancel_order', 'update_shipping_address', 'request_return')),
  order_id         text NOT NULL,
  input            jsonb NOT NULL,
  summary          text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'executing', 'executed', 'failed', 'rejected', 'expired', 'superseded')),
  -- sent to the ERP with the write, so a retried confirmation cannot apply twice there either
  idempotency_key  text NOT NULL UNIQUE,
  result           jsonb,
  expires_at       timestamptz NOT NULL,
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_pending_actions_conv ON order_pending_actions (conversation_id, status);

-- Who asked for which write, when, and what came of it.
CREATE TABLE order_audit (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL,
  conversation_id  bigint,
  actor            text NOT NULL,
  erp_customer_id  text,
  action           text NOT NULL,
  order_id         text,
  pending_action_id bigint,
  outcome          text NOT NULL,
  detail           jsonb NOT NULL DEFAULT '{}',
  at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_audit_tenant ON order_audit (tenant_id, at DESC);
