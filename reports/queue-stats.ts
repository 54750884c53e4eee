/**
 * What waits, for the scrape-time gauges of GET /metrics: inbound webhook events not yet processed, outbox
 * messages queued to send, and handoffs waiting for a person; each with the age of its oldest row. Every count
 * runs on a partial index of its queue (webhook_events_pending, messages_outbox_ready, handoffs_queue), so a
 * scrape stays cheap however long the history is.
 */
import type pg from "pg";
import type { QueueStats } from "../lib/metrics.ts";

type Queryable = Pick<pg.Pool, "query">;

const QUEUES_SQL = `
SELECT 'inbound' AS queue, count(*)::int AS depth, extract(epoch FROM now() - min(created_at))::float8 AS age
  FROM webhook_events WHERE state = 'pending'
UNION ALL
SELECT 'outbox', count(*)::int, extract(epoch FROM now() - min(created_at))::float8
  FROM messages WHERE direction = 'outbound' AND status = 'queued'
UNION ALL
SELECT 'handoffs', count(*)::int, extract(epoch FROM now() - min(created_at))::float8
  FROM handoffs WHERE status = 'waiting'`;

/** Depth and oldest age of each queue, across tenants. */
export async function readQueueStats(db: Queryable): Promise<QueueStats> {
  const { rows } = await db.query<{ queue: keyof QueueStats; depth: number; age: number | null }>(QUEUES_SQL);
  const stats: QueueStats = {
    inbound: { depth: 0, oldestAgeSeconds: null },
    outbox: { depth: 0, oldestAgeSeconds: null },
    handoffs: { depth: 0, oldestAgeSeconds: null },
  };
  // A clock step can make a fresh row look a little younger than now: never report a negative age.
  for (const r of rows) stats[r.queue] = { depth: r.depth, oldestAgeSeconds: r.age === null ? null : Math.max(0, r.age) };
  return stats;
}
