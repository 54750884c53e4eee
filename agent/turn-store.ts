/**
 * SQL of the agent's own tables: which inbound messages a turn has dealt with (`agent_conversation_state`) and the
 * per-turn traces (`agent_turns`).
 */
import type pg from "pg";
import type { TurnTrace } from "./turn-context.ts";

type Queryable = Pick<pg.Pool, "query">;

export type PendingMessage = { id: string; wamid: string | null; type: string; text: string | null; payload: Record<string, unknown> };

/** Inbound messages not yet dealt with by a turn, oldest first; after a hand-back only those since `since`. */
export async function loadPendingMessages(db: Queryable, conversationId: string, since: Date | null): Promise<PendingMessage[]> {
  const { rows } = await db.query(
    `SELECT m.id::text, m.wa_message_id, m.type, m.text, m.payload FROM messages m
     WHERE m.conversation_id = $1 AND m.direction = 'inbound'
       AND m.id > COALESCE((SELECT last_message_id FROM agent_conversation_state WHERE conversation_id = $1), 0)
       AND ($2::timestamptz IS NULL OR m.created_at >= $2)
     ORDER BY m.id LIMIT 20`,
    [conversationId, since],
  );
  return rows.map((r) => ({ id: r.id, wamid: r.wa_message_id, type: r.type, text: r.text, payload: r.payload }));
}

/** Id of the conversation's newest inbound message (to tell whether a reply went stale). */
export async function latestInboundId(db: Queryable, conversationId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string | null }>(
    "SELECT max(id)::text AS id FROM messages WHERE conversation_id = $1 AND direction = 'inbound'",
    [conversationId],
  );
  return rows[0]?.id ?? null;
}

/** Records that every inbound message up to `messageId` has been dealt with. */
export async function markMessagesHandled(db: Queryable, conversationId: string, messageId: string): Promise<void> {
  await db.query(
    `INSERT INTO agent_conversation_state (conversation_id, last_message_id) VALUES ($1, $2)
     ON CONFLICT (conversation_id) DO UPDATE
       SET last_message_id = GREATEST(agent_conversation_state.last_message_id, EXCLUDED.last_message_id), updated_at = now()`,
    [conversationId, messageId],
  );
}

/** Bot-owned conversations with inbound messages newer than the last turn, received in the last `minutes`. */
export async function findUnansweredConversations(db: Queryable, minutes: number): Promise<{ tenantId: string; conversationId: string }[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT m.tenant_id, m.conversation_id::text AS conversation_id
     FROM messages m JOIN conversations c ON c.id = m.conversation_id
     LEFT JOIN agent_conversation_state s ON s.conversation_id = m.conversation_id
     WHERE m.direction = 'inbound' AND c.owner = 'bot' AND m.created_at > now() - make_interval(mins => $1)
       AND m.id > COALESCE(s.last_message_id, 0)`,
    [minutes],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, conversationId: r.conversation_id }));
}

export type TurnRecord = {
  tenantId: string;
  conversationId: string;
  messageIds: string[];
  status: "replied" | "escalated" | "stale" | "failed";
  decision: string | null;
  reason: string | null;
  language: string | null;
  /** What the customer's messages were about (agent/text/intents.ts classifyIntent). */
  intent: string | null;
  durationMs: number;
  reply: string | null;
  trace: TurnTrace;
};

export async function insertTurn(db: Queryable, t: TurnRecord): Promise<void> {
  const m = t.trace.model;
  await db.query(
    `INSERT INTO agent_turns (tenant_id, conversation_id, message_ids, status, decision, reason, language, provider, model,
       input_tokens, output_tokens, cost_usd, duration_ms, reply, trace, intent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      t.tenantId,
      t.conversationId,
      t.messageIds,
      t.status,
      t.decision,
      t.reason,
      t.language,
      m.provider,
      m.model,
      m.inputTokens,
      m.outputTokens,
      m.costUsd,
      Math.round(t.durationMs),
      t.reply,
      JSON.stringify(t.trace),
      t.intent,
    ],
  );
}

export type TurnView = {
  id: string;
  messageIds: string[];
  status: string;
  decision: string | null;
  reason: string | null;
  language: string | null;
  model: { provider: string | null; name: string | null; inputTokens: number | null; outputTokens: number | null; costUsd: number | null };
  durationMs: number;
  reply: string | null;
  trace: TurnTrace;
  createdAt: string;
};

/** A conversation's turns, oldest first, or undefined when the conversation is not the tenant's. */
export async function listTurns(db: Queryable, tenantId: string, conversationId: string, limit: number): Promise<TurnView[] | undefined> {
  const { rows: conv } = await db.query("SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2", [conversationId, tenantId]);
  if (conv.length === 0) return undefined;
  const { rows } = await db.query(
    `SELECT id::text, message_ids::text[] AS message_ids, status, decision, reason, language, provider, model, input_tokens,
            output_tokens, cost_usd::float8 AS cost_usd, duration_ms, reply, trace, created_at
     FROM agent_turns WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2`,
    [conversationId, limit],
  );
  return rows.reverse().map((r) => ({
    id: r.id,
    messageIds: r.message_ids,
    status: r.status,
    decision: r.decision,
    reason: r.reason,
    language: r.language,
    model: { provider: r.provider, name: r.model, inputTokens: r.input_tokens, outputTokens: r.output_tokens, costUsd: r.cost_usd },
    durationMs: r.duration_ms,
    reply: r.reply,
    trace: r.trace,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
