/**
 * What a business-initiated send needs to know about a customer (consent, time zone, identity, profile for the
 * template's parameters) and the conversation to queue into. The outbox queues into a conversation, and a customer
 * known only from an import or an opt-in form has none yet: one is created for the tenant's business number, keyed
 * as inbound messages key them (one per business number and customer), so the customer's first reply lands in it.
 */
import type pg from "pg";
import { CONSENT_SQL } from "../customers/segment-filter.ts";
import type { ParameterProfile } from "./parameter-sources.ts";

type Queryable = Pick<pg.Pool, "query">;

export type CustomerReach = ParameterProfile & {
  customerId: string;
  consent: "opted_in" | "opted_out" | "none";
  timeZone: string | null;
  /** A phone number or BSUID to send to. */
  reachable: boolean;
  erased: boolean;
  /** The customer's most recent conversation with the tenant, if any. */
  conversationId: string | null;
};

/** The columns of CustomerReach over `customers c` (CONSENT_SQL reads the same alias). */
export const REACH_COLUMNS = `c.id::text AS customer_id, c.name, c.username, c.language, c.country, c.erp_customer_id, c.attributes,
  c.time_zone, (c.wa_id IS NOT NULL OR c.bsuid IS NOT NULL) AS reachable, c.erased_at IS NOT NULL AS erased,
  ${CONSENT_SQL} AS consent,
  (SELECT v.id::text FROM conversations v WHERE v.customer_id = c.id AND v.tenant_id = c.tenant_id
   ORDER BY v.last_message_at DESC NULLS LAST, v.id DESC LIMIT 1) AS conversation_id`;

/** Maps a row selected with REACH_COLUMNS. */
export function toCustomerReach(r: Record<string, unknown>): CustomerReach {
  return {
    customerId: r.customer_id as string,
    name: (r.name as string | null) ?? null,
    username: (r.username as string | null) ?? null,
    language: (r.language as string | null) ?? null,
    country: (r.country as string | null) ?? null,
    erpCustomerId: (r.erp_customer_id as string | null) ?? null,
    attributes: (r.attributes as Record<string, unknown> | null) ?? {},
    timeZone: (r.time_zone as string | null) ?? null,
    reachable: r.reachable === true,
    erased: r.erased === true,
    consent: r.consent as CustomerReach["consent"],
    conversationId: (r.conversation_id as string | null) ?? null,
  };
}

/** One customer's reach, or undefined when the customer is not the tenant's. */
export async function readCustomerReach(db: Queryable, tenantId: string, customerId: string): Promise<CustomerReach | undefined> {
  const { rows } = await db.query(`SELECT ${REACH_COLUMNS} FROM customers c WHERE c.id = $1 AND c.tenant_id = $2`, [customerId, tenantId]);
  return rows[0] ? toCustomerReach(rows[0]) : undefined;
}

/**
 * The conversation to queue into: the customer's latest one, else a new one on the tenant's first business number.
 * Undefined when the tenant has no business number (nothing could be sent from anywhere).
 */
export async function ensureConversation(db: Queryable, tenantId: string, reach: CustomerReach): Promise<string | undefined> {
  if (reach.conversationId) return reach.conversationId;
  // ON CONFLICT DO UPDATE (a no-op) rather than DO NOTHING so a concurrent insert still returns the row's id.
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO conversations (tenant_id, customer_id, phone_number_id)
     SELECT $1, $2, p.phone_number_id FROM phone_numbers p WHERE p.tenant_id = $1 ORDER BY p.created_at, p.phone_number_id LIMIT 1
     ON CONFLICT (phone_number_id, customer_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id
     RETURNING id::text`,
    [tenantId, reach.customerId],
  );
  return rows[0]?.id;
}
