/**
 * The durable inbox: stores each signed delivery raw plus its normalized events, deduplicated, in one statement
 * per group of concurrent deliveries. Owns `webhook_deliveries` and the insert side of `webhook_events`.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { isDatabaseUnavailable } from "../lib/errors.ts";
import { createGroupCommitter, type GroupCommitter } from "../lib/group-commit.ts";
import type { StorableEvent } from "./events.ts";

export type Delivery = {
  requestId: string;
  /** The body exactly as received (kept as text: cheaper to store than jsonb, and byte-faithful for audits). */
  raw: string;
  outcome: "accepted" | "partial" | "unexpected_shape";
  problems: string[];
  events: StorableEvent[];
};

export type DeliveryResult = {
  deliveryId: string;
  /** Events stored by this delivery (duplicates of earlier ones are not counted). */
  stored: number;
  duplicates: number;
  /** Stored events whose business number belongs to no tenant. */
  unroutable: number;
  /** phone_number_ids with no tenant, for the log line. */
  unroutableNumbers: string[];
};

export type EventStore = {
  store(delivery: Delivery): Promise<DeliveryResult>;
  drain(): Promise<void>;
  stats(): { batches: number; items: number; maxBatchSeen: number };
};

// One round trip for a whole group: both inserts in a single statement (atomic without BEGIN/COMMIT).
// Tenant routing happens here, by phone_number_id, so a number added to a tenant takes effect at once.
// Columns travel as parallel arrays (unnest), not as one JSON document, so Postgres parses each event payload once
// and never parses the raw body at all. The two big columns (bodies, payloads) are sent as one text each, joined
// with U+0001, which cannot occur in JSON text (JSON.parse rejects raw control characters and JSON.stringify escapes
// them) and which `string_to_array` splits with a plain scan; as text[] parameters, Postgres's array parser spent
// ~30% of the backend's CPU de-escaping them (perf, bench:webhook). See SEP below.
const STORE_SQL = `
WITH deliveries AS (
  INSERT INTO webhook_deliveries (id, request_id, outcome, problems, event_count, body)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::int[], string_to_array($6::text, E'\\x01'))
  RETURNING id
), events AS (
  INSERT INTO webhook_events (delivery_id, phone_number_id, tenant_id, kind, dedup_key, conversation_key, occurred_at, payload, state)
  SELECT e.delivery_id, e.phone_number_id, pn.tenant_id, e.kind, e.dedup_key, e.conversation_key, e.occurred_at, e.payload,
         CASE WHEN pn.tenant_id IS NULL THEN 'unroutable' ELSE 'pending' END
  FROM unnest($7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], string_to_array($13::text, E'\\x01')::jsonb[])
       WITH ORDINALITY AS e(delivery_id, phone_number_id, kind, dedup_key, conversation_key, occurred_at, payload, ord)
  LEFT JOIN phone_numbers pn ON pn.phone_number_id = e.phone_number_id
  ORDER BY e.ord
  ON CONFLICT (phone_number_id, dedup_key) DO NOTHING
  RETURNING delivery_id, phone_number_id, state
)
SELECT delivery_id::text AS delivery_id, phone_number_id, state, count(*)::int AS n
FROM events GROUP BY 1, 2, 3`;

/** Creates the store; `onStored` is called after each commit that added pending events (to wake the worker). */
export function createEventStore(pool: pg.Pool, opts: { onStored?: () => void; concurrency?: number } = {}): EventStore {
  const committer: GroupCommitter<Delivery, DeliveryResult> = createGroupCommitter({
    // One commit in flight: the next group waits and grows (measured best on 2 cores in bench:webhook).
    concurrency: opts.concurrency ?? 1,
    maxBatch: 400,
    commit: async (deliveries) => {
      try {
        return await insertDeliveries(pool, deliveries, opts.onStored);
      } catch (err) {
        // A connectivity failure fails everyone (the webhook answers 503 and Meta retries). Any other error is
        // one delivery's data: retry each alone so a single bad body cannot fail the deliveries batched with it.
        if (deliveries.length === 1 || isDatabaseUnavailable(err)) throw err;
        return Promise.all(
          deliveries.map((d) =>
            insertDeliveries(pool, [d], opts.onStored).then(
              (r) => r[0] as DeliveryResult,
              (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
            ),
          ),
        );
      }
    },
  });
  return {
    store(d) {
      // Only JSON text is stored (the route rejects anything else): it is never empty and never holds SEP.
      if (d.raw === "" || d.raw.includes(SEP)) return Promise.reject(new Error("a webhook body must be JSON text"));
      return committer.submit(d);
    },
    drain: () => committer.drain(),
    stats: () => committer.stats(),
  };
}

/** Separates the bodies and the payloads inside their single text parameters. */
const SEP = "\x01";

async function insertDeliveries(pool: pg.Pool, deliveries: Delivery[], onStored?: () => void): Promise<DeliveryResult[]> {
  const n = deliveries.length;
  const ids: string[] = new Array(n);
  const requestIds: string[] = new Array(n);
  const outcomes: string[] = new Array(n);
  const problems: (string | null)[] = new Array(n);
  const eventCounts: number[] = new Array(n);
  let bodies = "";
  const eDelivery: string[] = [];
  const ePhone: string[] = [];
  const eKind: string[] = [];
  const eDedup: string[] = [];
  const eConversation: string[] = [];
  const eOccurred: string[] = [];
  let payloads = "";
  for (let i = 0; i < n; i++) {
    const d = deliveries[i] as Delivery;
    const id = randomUUID();
    ids[i] = id;
    requestIds[i] = d.requestId;
    outcomes[i] = d.outcome;
    problems[i] = d.problems.length > 0 ? toJsonb(d.problems) : null;
    eventCounts[i] = d.events.length;
    bodies = i === 0 ? d.raw : bodies + SEP + d.raw;
    for (const e of d.events) {
      eDelivery.push(id);
      ePhone.push(e.event.phoneNumberId);
      eKind.push(e.event.kind);
      eDedup.push(e.dedupKey);
      eConversation.push(e.conversationKey);
      eOccurred.push(e.event.occurredAt);
      payloads = payloads === "" ? toJsonb(e.event) : payloads + SEP + toJsonb(e.event);
    }
  }
  // A named statement is parsed and planned once per connection.
  const { rows: counts } = await pool.query<{ delivery_id: string; phone_number_id: string; state: string; n: number }>({
    name: "webhook-store",
    text: STORE_SQL,
    values: [
      ids,
      requestIds,
      outcomes,
      problems,
      eventCounts,
      bodies,
      eDelivery,
      ePhone,
      eKind,
      eDedup,
      eConversation,
      eOccurred,
      payloads,
    ],
  });
  const byDelivery = new Map<string, typeof counts>();
  for (const c of counts) {
    const mine = byDelivery.get(c.delivery_id);
    if (mine) mine.push(c);
    else byDelivery.set(c.delivery_id, [c]);
  }
  let pending = false;
  const results = deliveries.map((d, i) => {
    const mine = byDelivery.get(ids[i] as string) ?? [];
    let stored = 0;
    let unroutable = 0;
    const unroutableNumbers: string[] = [];
    for (const c of mine) {
      stored += c.n;
      if (c.state === "unroutable") {
        unroutable += c.n;
        unroutableNumbers.push(c.phone_number_id);
      } else if (c.state === "pending") pending = true;
    }
    return { deliveryId: ids[i] as string, stored, duplicates: d.events.length - stored, unroutable, unroutableNumbers };
  });
  if (pending) onStored?.();
  return results;
}

/** JSON for a jsonb parameter. Postgres jsonb rejects the NUL character, so it becomes U+FFFD (nothing else changes). */
export function toJsonb(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\u0000") ? JSON.stringify(value, (_k, v) => (typeof v === "string" ? v.replaceAll("\0", "\uFFFD") : v)) : json;
}
