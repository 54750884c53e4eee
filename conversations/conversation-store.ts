/**
 * The conversation record: customers (keyed on BSUID, else wa_id), one conversation per customer and business
 * number, and its messages with their delivery statuses. Owns `customers`, `conversations`, `messages` and
 * `message_statuses`. Writes take a client so callers can run them inside their own transaction.
 */
import type pg from "pg";
import { regionFromPhone } from "../customers/customer-region.ts";
import type { MessageEvent, StatusEvent, UserRef } from "../whatsapp/events.ts";

type Queryable = Pick<pg.PoolClient, "query">;

export type RecordedInbound = { conversationId: string; customerId: string; messageId: string; isNew: boolean };

/** Stores an inbound message (idempotent on its wamid) and updates the customer and conversation. */
export async function recordInbound(db: Queryable, tenantId: string, ev: MessageEvent): Promise<RecordedInbound> {
  const customerId = await upsertCustomer(db, tenantId, ev.from);
  await recordContact(db, customerId, ev.occurredAt, ev.from.waId);
  const { rows: conv } = await db.query<{ id: string }>(
    `INSERT INTO conversations (tenant_id, customer_id, phone_number_id, last_inbound_at, last_message_at)
     VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (phone_number_id, customer_id) DO UPDATE
       SET last_inbound_at = GREATEST(conversations.last_inbound_at, EXCLUDED.last_inbound_at),
           last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at)
     RETURNING id`,
    [tenantId, customerId, ev.phoneNumberId, ev.occurredAt],
  );
  const conversationId = conv[0]?.id as string;
  const { rows: inserted } = await db.query<{ id: string }>(
    `INSERT INTO messages (tenant_id, conversation_id, direction, wa_message_id, type, text, payload, context_wa_message_id, status, status_at, sent_at)
     VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, 'received', $8, $8)
     ON CONFLICT (tenant_id, wa_message_id) DO NOTHING
     RETURNING id`,
    [tenantId, conversationId, ev.wamid, ev.type, ev.text, JSON.stringify(ev.raw), ev.contextWamid, ev.occurredAt],
  );
  if (inserted[0]) return { conversationId, customerId, messageId: inserted[0].id, isNew: true };
  const { rows: existing } = await db.query<{ id: string }>("SELECT id FROM messages WHERE tenant_id = $1 AND wa_message_id = $2", [
    tenantId,
    ev.wamid,
  ]);
  return { conversationId, customerId, messageId: existing[0]?.id as string, isNew: false };
}

/**
 * Finds or creates the customer. The BSUID wins when present; a wa_id seen before without a BSUID is adopted.
 * If the wa_id now belongs to a different BSUID (the user changed number), the number moves to the new customer.
 */
export async function upsertCustomer(db: Queryable, tenantId: string, user: UserRef): Promise<string> {
  const byBsuid = user.userId ? await findCustomer(db, tenantId, "bsuid", user.userId) : undefined;
  const byWaId = user.waId ? await findCustomer(db, tenantId, "wa_id", user.waId) : undefined;
  const id = byBsuid?.id ?? (byWaId && (!user.userId || byWaId.bsuid === null) ? byWaId.id : undefined);
  if (byWaId && id !== byWaId.id) {
    await db.query("UPDATE customers SET wa_id = NULL, updated_at = now() WHERE id = $1", [byWaId.id]);
  }
  if (id) {
    // `erased_at IS NULL`: an erasure that committed after the lookup above wins (the UPDATE re-reads the row), and
    // the person writing again becomes a new customer instead of getting their identifiers written back.
    const { rowCount } = await db.query(
      `UPDATE customers SET bsuid = COALESCE(bsuid, $2), wa_id = COALESCE($3, wa_id), username = COALESCE($4, username),
         name = COALESCE($5, name), updated_at = now()
       WHERE id = $1 AND erased_at IS NULL`,
      [id, user.userId ?? null, user.waId ?? null, user.username ?? null, user.name ?? null],
    );
    if (rowCount) return id;
  }
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO customers (tenant_id, bsuid, wa_id, username, name) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [tenantId, user.userId ?? null, user.waId ?? null, user.username ?? null, user.name ?? null],
  );
  return rows[0]?.id as string;
}

async function findCustomer(db: Queryable, tenantId: string, column: "bsuid" | "wa_id", value: string) {
  const { rows } = await db.query<{ id: string; bsuid: string | null }>(
    `SELECT id, bsuid FROM customers WHERE tenant_id = $1 AND ${column} = $2`,
    [tenantId, value],
  );
  return rows[0];
}

/** A `system` message of type user_changed_number: the customer's phone changes to the new wa_id. */
export async function changeCustomerNumber(db: Queryable, tenantId: string, customerId: string, newWaId: string): Promise<void> {
  await db.query("UPDATE customers SET wa_id = NULL WHERE tenant_id = $1 AND wa_id = $2 AND id <> $3", [tenantId, newWaId, customerId]);
  await db.query("UPDATE customers SET wa_id = $2, updated_at = now() WHERE id = $1", [customerId, newWaId]);
  await setRegion(db, customerId, newWaId);
}

/**
 * Widens the customer's first/last contact to include `at` (out-of-order safe) and places them by the phone's country
 * code. A time zone an admin set by hand (time_zone_source 'manual') is never replaced.
 */
export async function recordContact(db: Queryable, customerId: string, at: Date | string, waId: string | null | undefined): Promise<void> {
  const region = regionFromPhone(waId);
  await db.query(
    `UPDATE customers SET first_contact_at = LEAST(COALESCE(first_contact_at, $2), $2),
       last_contact_at = GREATEST(COALESCE(last_contact_at, $2), $2),
       country = COALESCE($3, country),
       time_zone = CASE WHEN $4::text IS NULL OR time_zone_source = 'manual' THEN time_zone ELSE $4 END,
       time_zone_source = CASE WHEN $4::text IS NULL OR time_zone_source = 'manual' THEN time_zone_source ELSE 'phone' END
     WHERE id = $1`,
    [customerId, at, region?.country ?? null, region?.timeZone ?? null],
  );
}

/** Sets the country (and, unless set by hand, the time zone) from a phone number. */
export async function setRegion(db: Queryable, customerId: string, waId: string | null | undefined): Promise<boolean> {
  const region = regionFromPhone(waId);
  if (!region) return false;
  await db.query(
    `UPDATE customers SET country = $2,
       time_zone = CASE WHEN time_zone_source = 'manual' THEN time_zone ELSE $3 END,
       time_zone_source = CASE WHEN time_zone_source = 'manual' THEN time_zone_source ELSE 'phone' END
     WHERE id = $1`,
    [customerId, region.country, region.timeZone],
  );
  return true;
}

/**
 * Records a status and advances the message's status if it is further along (out-of-order safe). A failed status
 * carries Meta's error; 131047 (outside the 24-hour window) also closes the conversation's window.
 */
export async function applyStatus(db: Queryable, tenantId: string, ev: StatusEvent): Promise<{ advanced: boolean }> {
  const errors = ev.errors ? JSON.stringify(ev.errors) : null;
  await db.query(
    `INSERT INTO message_statuses (tenant_id, wa_message_id, status, occurred_at, errors, pricing)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, wa_message_id, status) DO NOTHING`,
    [tenantId, ev.wamid, ev.status, ev.occurredAt, errors, ev.pricing ? JSON.stringify(ev.pricing) : null],
  );
  // message_status_rank (migrations/002) orders queued < sending < accepted < sent < delivered < read < played < failed.
  const { rows } = await db.query<{ conversation_id: string; error_code: number | null }>(
    `UPDATE messages SET status = $3, status_at = $4, error = COALESCE($5::jsonb, error),
       error_code = COALESCE(($5::jsonb -> 0 ->> 'code')::int, error_code),
       error_title = COALESCE($5::jsonb -> 0 ->> 'title', error_title)
     WHERE tenant_id = $1 AND wa_message_id = $2
       AND message_status_rank($3) > message_status_rank(status)
     RETURNING conversation_id::text, error_code`,
    [tenantId, ev.wamid, ev.status, ev.occurredAt, errors],
  );
  const row = rows[0];
  if (row && ev.status === "failed" && (row.error_code === 131047 || row.error_code === 470)) {
    await db.query("UPDATE conversations SET window_closed_at = now() WHERE id = $1", [row.conversation_id]);
  }
  return { advanced: rows.length > 0 };
}

export type ConversationSummary = {
  id: string;
  customer: { waId: string | null; userId: string | null; name: string | null; username: string | null };
  phoneNumberId: string;
  owner: string;
  lastInboundAt: string | null;
  windowExpiresAt: string | null;
  lastMessageAt: string | null;
};

/** Lists a tenant's conversations, most recent first; `before` is the last id of the previous page. */
export async function listConversations(
  db: Queryable,
  tenantId: string,
  opts: { limit: number; before?: string | undefined },
): Promise<ConversationSummary[]> {
  const { rows } = await db.query(
    `SELECT c.id::text, c.phone_number_id, c.owner, c.last_inbound_at, c.last_message_at,
            c.last_inbound_at + interval '24 hours' AS window_expires_at,
            cu.wa_id, cu.bsuid, cu.name, cu.username
     FROM conversations c JOIN customers cu ON cu.id = c.customer_id
     WHERE c.tenant_id = $1 AND ($2::bigint IS NULL OR c.id < $2::bigint)
     ORDER BY c.id DESC LIMIT $3`,
    [tenantId, opts.before ?? null, opts.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    customer: { waId: r.wa_id, userId: r.bsuid, name: r.name, username: r.username },
    phoneNumberId: r.phone_number_id,
    owner: r.owner,
    lastInboundAt: iso(r.last_inbound_at),
    windowExpiresAt: iso(r.window_expires_at),
    lastMessageAt: iso(r.last_message_at),
  }));
}

export type MessageView = {
  id: string;
  direction: "inbound" | "outbound";
  waMessageId: string | null;
  type: string;
  text: string | null;
  status: string | null;
  /** Who sent an outbound message ("agent:<id>" for a human, anything else is the system or the bot); null inbound. */
  source: string | null;
  /** Meta's error when the message failed (code may be null for refusals decided before sending). */
  error: { code: number | null; title: string | null } | null;
  createdAt: string;
};

/** Messages of one conversation in time order, or `undefined` when the conversation is not this tenant's. */
export async function listMessages(
  db: Queryable,
  tenantId: string,
  conversationId: string,
  opts: { limit: number; after?: string | undefined },
): Promise<MessageView[] | undefined> {
  const { rows: conv } = await db.query("SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2", [conversationId, tenantId]);
  if (conv.length === 0) return undefined;
  const { rows } = await db.query(
    `SELECT id::text, direction, wa_message_id, type, text, status, source, error_code, error_title, sent_at FROM messages
     WHERE conversation_id = $1 AND ($2::bigint IS NULL OR id > $2::bigint)
     ORDER BY sent_at, id LIMIT $3`,
    [conversationId, opts.after ?? null, opts.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    waMessageId: r.wa_message_id,
    type: r.type,
    text: r.text,
    status: r.status,
    source: r.source ?? null,
    error: r.status === "failed" || r.error_code !== null ? { code: r.error_code, title: r.error_title } : null,
    createdAt: iso(r.sent_at) as string,
  }));
}

function iso(v: Date | string | null): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}
