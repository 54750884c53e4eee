/**
 * The customer record for admins: the list (segment filters, newest contact first, keyset pages) and one customer's
 * profile with identities, consent, tags and their reasons, activity counts and the ERP link.
 */
import type pg from "pg";
import { listConsents } from "../compliance/consent-store.ts";
import { CONSENT_SQL, compileSegmentFilter, type SegmentFilter } from "./segment-filter.ts";
import { listCustomerTags, type TagView } from "./tag-store.ts";

type Queryable = Pick<pg.Pool, "query">;

export type CustomerListItem = {
  id: string;
  name: string | null;
  username: string | null;
  phone: string | null;
  bsuid: string | null;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  consent: "opted_in" | "opted_out" | "none";
  tags: string[];
  firstContactAt: string | null;
  lastContactAt: string | null;
};

export type CustomerPage = { customers: CustomerListItem[]; nextCursor: string | null };

/** The list position of the last row of a page: its last_contact_at in microseconds since 1970 (exact) and id. */
type Cursor = { t: string | null; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

/** The cursor, or null when it is not one of ours (the route answers 400). */
export function decodeCursor(raw: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Cursor;
    if (typeof c !== "object" || c === null || typeof c.id !== "string" || !/^\d{1,18}$/.test(c.id)) return null;
    if (c.t !== null && (typeof c.t !== "string" || !/^-?\d{1,19}$/.test(c.t))) return null;
    return c;
  } catch {
    return null;
  }
}

/**
 * One page of the tenant's customers matching every filter (a saved segment and the query's own filters are
 * ANDed), most recent contact first; customers never contacted come last.
 */
export async function listCustomers(
  db: Queryable,
  tenantId: string,
  opts: { filters: SegmentFilter[]; limit: number; cursor?: Cursor | undefined },
): Promise<CustomerPage> {
  const params: unknown[] = [opts.limit + 1];
  const where: string[] = [];
  for (const f of opts.filters.length > 0 ? opts.filters : [{}]) {
    const compiled = compileSegmentFilter(tenantId, f, params.length + 1);
    where.push(compiled.where);
    params.push(...compiled.params);
  }
  if (opts.cursor) {
    const id = `$${params.push(opts.cursor.id)}`;
    if (opts.cursor.t === null) {
      where.push(`c.last_contact_at IS NULL AND c.id < ${id}::bigint`);
    } else {
      const t = `('epoch'::timestamptz + $${params.push(opts.cursor.t)}::bigint * interval '1 microsecond')`;
      where.push(`(c.last_contact_at < ${t} OR (c.last_contact_at = ${t} AND c.id < ${id}::bigint) OR c.last_contact_at IS NULL)`);
    }
  }
  const { rows } = await db.query(
    `SELECT c.id::text, c.name, c.username, c.wa_id, c.bsuid, c.language, c.country, c.time_zone, c.first_contact_at,
            c.last_contact_at, (extract(epoch FROM c.last_contact_at) * 1000000)::bigint::text AS contact_key, ${CONSENT_SQL} AS consent,
            ARRAY(SELECT t.tag FROM customer_tags t WHERE t.customer_id = c.id ORDER BY t.tag) AS tags
     FROM customers c WHERE ${where.join(" AND ")}
     ORDER BY c.last_contact_at DESC NULLS LAST, c.id DESC LIMIT $1`,
    params,
  );
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    customers: page.map((r) => ({
      id: r.id,
      name: r.name,
      username: r.username,
      phone: r.wa_id,
      bsuid: r.bsuid,
      language: r.language,
      country: r.country,
      timeZone: r.time_zone,
      consent: r.consent,
      tags: r.tags,
      firstContactAt: iso(r.first_contact_at),
      lastContactAt: iso(r.last_contact_at),
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor({ t: last.contact_key, id: last.id }) : null,
  };
}

export type CustomerProfile = Omit<CustomerListItem, "tags" | "consent" | "phone" | "bsuid" | "username"> & {
  identities: { bsuid: string | null; phone: string | null; username: string | null };
  timeZoneSource: "phone" | "manual" | null;
  consent: { state: "opted_in" | "opted_out" | "none"; history: Awaited<ReturnType<typeof listConsents>> };
  tags: TagView[];
  attributes: Record<string, unknown>;
  erp: { customerId: string | null };
  counts: { conversations: number; messages: number; inbound: number; outbound: number; handoffs: number };
  createdAt: string;
};

/** One customer of the tenant, or undefined (unknown, another tenant's, or erased). */
export async function getCustomerProfile(db: Queryable, tenantId: string, id: string): Promise<CustomerProfile | undefined> {
  const { rows } = await db.query(
    `SELECT c.*, c.id::text AS id, ${CONSENT_SQL} AS consent,
       (SELECT count(*)::int FROM conversations v WHERE v.customer_id = c.id) AS conversations,
       (SELECT count(*)::int FROM messages m JOIN conversations v ON v.id = m.conversation_id WHERE v.customer_id = c.id) AS messages,
       (SELECT count(*)::int FROM messages m JOIN conversations v ON v.id = m.conversation_id
         WHERE v.customer_id = c.id AND m.direction = 'inbound') AS inbound,
       (SELECT count(*)::int FROM handoffs h JOIN conversations v ON v.id = h.conversation_id WHERE v.customer_id = c.id) AS handoffs
     FROM customers c WHERE c.id = $1 AND c.tenant_id = $2 AND c.erased_at IS NULL`,
    [id, tenantId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    name: r.name,
    identities: { bsuid: r.bsuid, phone: r.wa_id, username: r.username },
    language: r.language,
    country: r.country,
    timeZone: r.time_zone,
    timeZoneSource: r.time_zone_source,
    consent: { state: r.consent, history: await listConsents(db, id) },
    tags: await listCustomerTags(db, id),
    attributes: r.attributes ?? {},
    erp: { customerId: r.erp_customer_id },
    counts: {
      conversations: r.conversations,
      messages: r.messages,
      inbound: r.inbound,
      outbound: r.messages - r.inbound,
      handoffs: r.handoffs,
    },
    firstContactAt: iso(r.first_contact_at),
    lastContactAt: iso(r.last_contact_at),
    createdAt: iso(r.created_at) as string,
  };
}

function iso(v: Date | string | null): string | null {
  return v === null || v === undefined ? null : new Date(v).toISOString();
}
