/**
 * The outbox's SQL. Outgoing messages are rows in `messages` (direction 'outbound') before anything is sent:
 * queued → sending → accepted (Meta returned a wamid) → sent/delivered/read by status webhooks, or failed.
 * A row's idempotency key is unique per tenant, so queueing the same reply twice stores it once.
 */
import type pg from "pg";
import type { OutgoingMessage, Recipient } from "../whatsapp/cloud-api/messages.ts";

type Queryable = Pick<pg.Pool, "query">;

export type Category = "service" | "marketing" | "utility" | "authentication";

export type NewOutbound = {
  tenantId: string;
  conversationId: string;
  idempotencyKey: string;
  message: OutgoingMessage;
  recipient: Recipient;
  category: Category;
  source: string;
  text: string | null;
  contextWamid?: string | null | undefined;
};

/** Inserts the row; returns its id and whether it already existed (same idempotency key). */
export async function insertOutbound(db: Queryable, m: NewOutbound): Promise<{ id: string; duplicate: boolean }> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO messages (tenant_id, conversation_id, direction, type, text, payload, body, recipient, category, source,
                           idempotency_key, context_wa_message_id, status, next_attempt_at, sent_at)
     VALUES ($1, $2, 'outbound', $3, $4, $5, $5, $6, $7, $8, $9, $10, 'queued', now(), now())
     ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING id::text`,
    [
      m.tenantId,
      m.conversationId,
      m.message.type,
      m.text,
      JSON.stringify(m.message),
      JSON.stringify(m.recipient),
      m.category,
      m.source,
      m.idempotencyKey,
      m.contextWamid ?? null,
    ],
  );
  if (rows[0]) {
    await db.query("UPDATE conversations SET last_message_at = now() WHERE id = $1", [m.conversationId]);
    return { id: rows[0].id, duplicate: false };
  }
  const existing = await db.query<{ id: string }>("SELECT id::text FROM messages WHERE tenant_id = $1 AND idempotency_key = $2", [
    m.tenantId,
    m.idempotencyKey,
  ]);
  return { id: existing.rows[0]?.id as string, duplicate: true };
}

export type Candidate = {
  id: string;
  tenantId: string;
  conversationId: string;
  phoneNumberId: string;
  recipient: Recipient;
  body: OutgoingMessage;
  category: Category;
  contextWamid: string | null;
  attempts: number;
  recipientKey: string;
  lastInboundAt: Date | null;
  windowClosedAt: Date | null;
};

// The oldest queued message of each conversation (messages to one customer go out in order, one in flight at a
// time), ready now, for a number that is not paused.
const CANDIDATES_SQL = `
SELECT * FROM (
  SELECT DISTINCT ON (m.conversation_id) m.id::text, m.tenant_id, m.conversation_id::text, c.phone_number_id, m.recipient,
         m.body, m.category, m.context_wa_message_id, m.attempts, m.next_attempt_at, c.last_inbound_at, c.window_closed_at
  FROM messages m JOIN conversations c ON c.id = m.conversation_id
  WHERE m.direction = 'outbound' AND m.status = 'queued'
    AND NOT EXISTS (SELECT 1 FROM messages s WHERE s.conversation_id = m.conversation_id AND s.direction = 'outbound' AND s.status = 'sending')
  ORDER BY m.conversation_id, m.id
) heads
WHERE next_attempt_at <= now()
ORDER BY next_attempt_at, id
LIMIT $1`;

/** Messages that could be sent now, oldest first. */
export async function findCandidates(db: Queryable, limit: number): Promise<Candidate[]> {
  const { rows } = await db.query(CANDIDATES_SQL, [limit]);
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    conversationId: r.conversation_id,
    phoneNumberId: r.phone_number_id,
    recipient: r.recipient,
    body: r.body,
    category: r.category,
    contextWamid: r.context_wa_message_id,
    attempts: r.attempts,
    recipientKey: `${r.phone_number_id}:${r.recipient.userId ?? r.recipient.waId}`,
    lastInboundAt: r.last_inbound_at,
    windowClosedAt: r.window_closed_at,
  }));
}

/** Atomically moves queued rows to `sending`; returns the ids this caller won. */
export async function claimForSending(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    `UPDATE messages SET status = 'sending', sending_since = now(), attempts = attempts + 1
     WHERE id = ANY($1::bigint[]) AND status = 'queued' RETURNING id::text`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Records Meta's acceptance. A status webhook may have arrived first (statuses can beat the API response): the
 * message then takes the furthest status already recorded for its wamid.
 */
export async function markAccepted(db: Queryable, id: string, tenantId: string, wamid: string): Promise<void> {
  await db.query(
    `UPDATE messages m SET wa_message_id = $3, accepted_at = now(), sending_since = NULL,
       status = COALESCE((SELECT s.status FROM message_statuses s WHERE s.tenant_id = $2 AND s.wa_message_id = $3
                          ORDER BY message_status_rank(s.status) DESC LIMIT 1), 'accepted'),
       error_code = COALESCE((SELECT (s.errors->0->>'code')::int FROM message_statuses s
                              WHERE s.tenant_id = $2 AND s.wa_message_id = $3 AND s.status = 'failed'), m.error_code)
     WHERE m.id = $1`,
    [id, tenantId, wamid],
  );
}

/** Puts a message back in the queue for a later attempt. `countAttempt` false undoes the claim's increment. */
export async function requeue(
  db: Queryable,
  id: string,
  delayMs: number,
  error: { code: number | null; title: string } | null,
  countAttempt = true,
): Promise<void> {
  await db.query(
    `UPDATE messages SET status = 'queued', sending_since = NULL, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
       attempts = attempts - CASE WHEN $5 THEN 0 ELSE 1 END,
       error_code = COALESCE($3, error_code), error_title = COALESCE($4, error_title)
     WHERE id = $1`,
    [id, delayMs, error?.code ?? null, error?.title ?? null, countAttempt],
  );
}

/** Final failure, visible on the message. */
export async function markFailed(db: Queryable, id: string, error: { code: number | null; title: string }): Promise<void> {
  await db.query(
    "UPDATE messages SET status = 'failed', sending_since = NULL, error_code = $2, error_title = $3, status_at = now() WHERE id = $1",
    [id, error.code, error.title],
  );
}

/**
 * Rows left in `sending` by a process that died. The send may or may not have reached Meta: requeueing them is the
 * documented window in which a message can be sent twice (send succeeded, process died before recording it).
 */
export async function requeueStale(db: Queryable, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE messages SET status = 'queued', sending_since = NULL, next_attempt_at = now()
     WHERE direction = 'outbound' AND status = 'sending' AND sending_since < now() - make_interval(secs => $1::double precision / 1000)`,
    [olderThanMs],
  );
  return rowCount ?? 0;
}

export type NumberState = { throughputMps: number; pausedUntil: Date | null; bulkPausedUntil: Date | null };

export async function readNumberStates(db: Queryable): Promise<Map<string, NumberState>> {
  const { rows } = await db.query("SELECT phone_number_id, throughput_mps, paused_until, bulk_paused_until FROM phone_numbers");
  return new Map(
    rows.map((r) => [
      r.phone_number_id,
      { throughputMps: r.throughput_mps, pausedUntil: r.paused_until, bulkPausedUntil: r.bulk_paused_until },
    ]),
  );
}

/** Pauses all sends (`scope` all) or bulk/marketing sends for a business number. */
export async function pauseNumber(
  db: Queryable,
  phoneNumberId: string,
  scope: "all" | "bulk",
  untilMs: number,
  reason: string,
): Promise<void> {
  const [col, why] = scope === "all" ? ["paused_until", "pause_reason"] : ["bulk_paused_until", "bulk_pause_reason"];
  await db.query(
    `UPDATE phone_numbers SET ${col} = now() + make_interval(secs => $2::double precision / 1000), ${why} = $3 WHERE phone_number_id = $1`,
    [phoneNumberId, untilMs, reason],
  );
}
