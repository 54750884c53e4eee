/**
 * Drains `webhook_events` in order per conversation: one event at a time per conversation key, many conversations
 * in parallel, across any number of processes. We use an explicit lease table rather than a job library because
 * the ordering unit is the conversation, not the job: a worker leases a conversation key (INSERT ... ON CONFLICT
 * with an expiry, safe under concurrency on real Postgres and on PGlite), processes that key's pending events
 * oldest first, and releases it. A lease is renewed while work runs; if a process dies its lease expires and
 * another worker takes the unfinished event again (at-least-once). A failing event is retried with backoff
 * (blocking only its own conversation) and parked as `dead` after `maxAttempts`.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Logger } from "../lib/logger.ts";
import { type QueuedEvent, WebhookEventSchema } from "./events.ts";

export type EventWorkerOptions = {
  pool: pg.Pool;
  process: (event: QueuedEvent) => Promise<void>;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  /** Backoff before retry n (1-based). */
  backoffMs?: (attempt: number) => number;
};

export type EventWorker = {
  start(): void;
  /** Stops taking work and waits for running conversations to finish their current event. */
  stop(): Promise<void>;
  /** Looks for work now (called after the webhook stores new events). */
  wake(): void;
  /** Resolves once no pending, available event is left and nothing is running (for tests and benchmarks). */
  idle(timeoutMs?: number): Promise<void>;
  readonly id: string;
};

const CLAIM_SQL = `
INSERT INTO conversation_leases (conversation_key, owner, expires_at)
SELECT conversation_key, $1, now() + make_interval(secs => $2::double precision / 1000)
FROM (
  SELECT e.conversation_key, min(e.id) AS first_id
  FROM webhook_events e
  WHERE e.state = 'pending'
    AND NOT EXISTS (SELECT 1 FROM conversation_leases l WHERE l.conversation_key = e.conversation_key AND l.expires_at > now())
  GROUP BY e.conversation_key
  HAVING max(e.available_at) <= now()
  ORDER BY first_id
  LIMIT $3
) ready
ON CONFLICT (conversation_key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
  WHERE conversation_leases.expires_at <= now()
RETURNING conversation_key`;

const NEXT_SQL = `
SELECT id::text, tenant_id, payload, attempts, available_at <= now() AS available
FROM webhook_events WHERE conversation_key = $1 AND state = 'pending'
ORDER BY occurred_at, id LIMIT 1`;

/** Creates a worker; call `start()` to begin. */
export function createEventWorker(opts: EventWorkerOptions): EventWorker {
  const id = `worker-${randomUUID().slice(0, 8)}`;
  const concurrency = opts.concurrency ?? 8;
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 250;
  const maxAttempts = opts.maxAttempts ?? 8;
  const backoffMs = opts.backoffMs ?? ((n: number) => Math.min(60_000, 500 * 2 ** (n - 1)));
  const { pool, logger } = opts;
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopping = false;
  let claiming = false;
  let claimAgain = false;

  async function claim(): Promise<void> {
    if (!started || stopping) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = true;
    try {
      do {
        claimAgain = false;
        const free = concurrency - running.size;
        if (free <= 0) break;
        const { rows } = await pool.query<{ conversation_key: string }>(CLAIM_SQL, [id, leaseMs, free]);
        for (const { conversation_key: key } of rows) {
          const task = drain(key).finally(() => {
            running.delete(key);
            void claim();
          });
          running.set(key, task);
        }
        if (rows.length === free) claimAgain = true;
      } while (claimAgain && !stopping);
    } catch (err) {
      logger.error({ err }, "event worker could not claim work");
    } finally {
      claiming = false;
    }
  }

  async function drain(key: string): Promise<void> {
    const heartbeat = setInterval(
      () => {
        pool
          .query(
            "UPDATE conversation_leases SET expires_at = now() + make_interval(secs => $3::double precision / 1000) WHERE conversation_key = $1 AND owner = $2",
            [key, id, leaseMs],
          )
          .catch((err: unknown) => logger.warn({ err }, "lease renewal failed"));
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      while (!stopping) {
        const { rows } = await pool.query(NEXT_SQL, [key]);
        const row = rows[0];
        if (!row?.available) break;
        if (!(await runOne(row))) break;
      }
    } catch (err) {
      logger.error({ err }, "event worker failed while draining a conversation");
    } finally {
      clearInterval(heartbeat);
      await pool
        .query("DELETE FROM conversation_leases WHERE conversation_key = $1 AND owner = $2", [key, id])
        .catch((err: unknown) => logger.warn({ err }, "lease release failed (it will expire)"));
    }
  }

  /** Processes one event; false when it failed (the conversation waits for its retry). */
  async function runOne(row: { id: string; tenant_id: string; payload: unknown; attempts: number }): Promise<boolean> {
    const attempt = row.attempts + 1;
    try {
      const event = WebhookEventSchema.parse(row.payload);
      await opts.process({ id: row.id, tenantId: row.tenant_id, event, attempts: row.attempts });
      await pool.query("UPDATE webhook_events SET state = 'done', attempts = $2, processed_at = now(), last_error = NULL WHERE id = $1", [
        row.id,
        attempt,
      ]);
      return true;
    } catch (err) {
      const dead = attempt >= maxAttempts;
      logger.error({ err, eventId: row.id, attempt, dead }, dead ? "event failed for good; parked as dead" : "event failed; will retry");
      await pool.query(
        `UPDATE webhook_events SET attempts = $2, last_error = $3, state = CASE WHEN $4 THEN 'dead' ELSE 'pending' END,
           available_at = now() + make_interval(secs => $5::double precision / 1000) WHERE id = $1`,
        [row.id, attempt, String((err as Error)?.message ?? err).slice(0, 2000), dead, backoffMs(attempt)],
      );
      if (dead) return true;
      setTimeout(() => void claim(), backoffMs(attempt) + 10).unref();
      return false;
    }
  }

  return {
    id,
    start() {
      if (started) return;
      started = true;
      timer = setInterval(() => void claim(), pollMs);
      timer.unref();
      void claim();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([...running.values()]);
    },
    wake() {
      void claim();
    },
    async idle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (running.size === 0 && !claiming) {
          const { rows } = await pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM webhook_events WHERE state = 'pending' AND available_at <= now()",
          );
          if (rows[0]?.n === 0 && running.size === 0) return;
          void claim();
        }
        if (Date.now() > deadline) throw new Error("event worker did not become idle in time");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
