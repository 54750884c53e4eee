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
const STORE_SQL = `
WITH deliveries AS (
  INSERT INTO webhook_deliveries (id, request_id, outcome, problems, event_count, body)
  SELECT id, request_id, outcome, problems, event_count, body
  FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, request_id text, outcome text, problems jsonb, event_count int, body text)
  RETURNING id
), events AS (
  INSERT INTO webhook_events (delivery_id, phone_number_id, tenant_id, kind, dedup_key, conversation_key, occurred_at, payload, state)
  SELECT e.delivery_id, e.phone_number_id, pn.tenant_id, e.kind, e.dedup_key, e.conversation_key, e.occurred_at, e.payload,
         CASE WHEN pn.tenant_id IS NULL THEN 'unroutable' ELSE 'pending' END
  FROM jsonb_to_recordset($2::jsonb) AS e(delivery_id uuid, phone_number_id text, kind text, dedup_key text,
       conversation_key text, occurred_at timestamptz, payload jsonb, ord int)
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
  return { store: (d) => committer.submit(d), drain: () => committer.drain(), stats: () => committer.stats() };
}

async function insertDeliveries(pool: pg.Pool, deliveries: Delivery[], onStored?: () => void): Promise<DeliveryResult[]> {
  const ids = deliveries.map(() => randomUUID());
  const rows = deliveries.map((d, i) => ({
    id: ids[i],
    request_id: d.requestId,
    outcome: d.outcome,
    problems: d.problems.length > 0 ? d.problems : null,
    event_count: d.events.length,
    body: d.raw,
  }));
  let ord = 0;
  const events = deliveries.flatMap((d, i) =>
    d.events.map((e) => ({
      ord: ord++,
      delivery_id: ids[i],
      phone_number_id: e.event.phoneNumberId,
      kind: e.event.kind,
      dedup_key: e.dedupKey,
      conversation_key: e.conversationKey,
      occurred_at: e.event.occurredAt,
      payload: e.event,
    })),
  );
  // A named statement is parsed and planned once per connection.
  const { rows: counts } = await pool.query<{ delivery_id: string; phone_number_id: string; state: string; n: number }>({
    name: "webhook-store",
    text: STORE_SQL,
    values: [toJsonb(rows), toJsonb(events)],
  });
  const byDelivery = new Map<string, typeof counts>();
  for (const c of counts) byDelivery.set(c.delivery_id, [...(byDelivery.get(c.delivery_id) ?? []), c]);
  const results = deliveries.map((d, i) => {
    const mine = byDelivery.get(ids[i] as string) ?? [];
    const stored = mine.reduce((s, c) => s + c.n, 0);
    const unroutableRows = mine.filter((c) => c.state === "unroutable");
    return {
      deliveryId: ids[i] as string,
      stored,
      duplicates: d.events.length - stored,
      unroutable: unroutableRows.reduce((s, c) => s + c.n, 0),
      unroutableNumbers: unroutableRows.map((c) => c.phone_number_id),
    };
  });
  if (counts.some((c) => c.state === "pending")) onStored?.();
  return results;
}

/** JSON for a jsonb parameter. Postgres jsonb rejects the NUL character, so it becomes U+FFFD (nothing else changes). */
export function toJsonb(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\u0000") ? JSON.stringify(value, (_k, v) => (typeof v === "string" ? v.replaceAll("\0", "\uFFFD") : v)) : json;
}
