/**
 * The handoff queue: who owns a conversation (the bot, a human, or nobody once closed), opening a handoff with
 * the bot's summary, and the queue figures the bot tells the customer. Owns `handoffs` and
 * `conversations.owner` / `conversations.bot_context_since`. Routing to agents lives in `routing.ts`; claiming,
 * transfer and resolution in `handoff-actions.ts`.
 */
import type pg from "pg";
import { z } from "zod";
import { withTransaction } from "../lib/db.ts";
import { AppError } from "../lib/errors.ts";
import { type HandoffEvents, handoffEvents } from "./handoff-events.ts";
import { assignBestAgent } from "./routing.ts";

export type Queryable = Pick<pg.ClientBase, "query">;

export type ConversationOwner = "bot" | "human" | "closed";
export const HANDOFF_REASONS = [
  "customer_request",
  "no_grounded_answer",
  "tool_unavailable",
  "sensitive_topic",
  "anger",
  "model_error",
  "other",
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];
export const HANDOFF_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type HandoffPriority = (typeof HANDOFF_PRIORITIES)[number];

export const HandoffSummarySchema = z.object({
  customerWants: z.string().max(2000),
  facts: z.array(z.string().max(1000)).max(50),
  botTried: z.array(z.string().max(1000)).max(50),
  sentiment: z.enum(["positive", "neutral", "negative", "angry"]),
  suggestedNextStep: z.string().max(2000),
});
export type HandoffSummary = z.infer<typeof HandoffSummarySchema>;

export type CreateHandoffInput = {
  tenantId: string;
  conversationId: string;
  reason: HandoffReason;
  priority: HandoffPriority;
  language: string | null;
  skill?: string | null;
  summary: HandoffSummary;
};

export type CreatedHandoff = { handoffId: string; created: boolean; queuePosition: number; expectedWaitMinutes: number | null };

/** Owner of the conversation and, after a hand-back to the bot, the time the bot's context starts from. */
export async function getConversationOwner(
  db: Queryable,
  conversationId: string,
): Promise<{ owner: ConversationOwner; botContextSince: Date | null }> {
  const { rows } = await db.query<{ owner: ConversationOwner; bot_context_since: Date | null }>(
    "SELECT owner, bot_context_since FROM conversations WHERE id = $1",
    [conversationId],
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", `conversation ${conversationId} not found`);
  return { owner: row.owner, botContextSince: row.bot_context_since };
}

/**
 * Opens a handoff and makes the conversation human-owned in one transaction; if one is already open, returns it
 * (created: false). Routes it to an agent when one matches (skill, language, capacity).
 */
export async function createHandoff(
  db: pg.Pool,
  input: CreateHandoffInput,
  opts: { events?: HandoffEvents } = {},
): Promise<CreatedHandoff> {
  const summary = HandoffSummarySchema.parse(input.summary);
  const language = normalizeLanguage(input.language);
  const skill = input.skill?.trim().toLowerCase() || null;
  const result = await withTransaction(db, async (tx) => {
    const { rows: conv } = await tx.query("SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2 FOR UPDATE", [
      input.conversationId,
      input.tenantId,
    ]);
    if (conv.length === 0) throw new AppError("not_found", `conversation ${input.conversationId} not found`);
    await tx.query("UPDATE conversations SET owner = 'human' WHERE id = $1", [input.conversationId]);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO handoffs (tenant_id, conversation_id, reason, priority, language, skill, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (conversation_id) WHERE status <> 'resolved' DO NOTHING
       RETURNING id::text`,
      [input.tenantId, input.conversationId, input.reason, input.priority, language, skill, JSON.stringify(summary)],
    );
    if (rows[0]) {
      const agentId = await assignBestAgent(tx, { tenantId: input.tenantId, handoffId: rows[0].id, language, skill });
      return { handoffId: rows[0].id, created: true, agentId };
    }
    const { rows: open } = await tx.query<{ id: string; assignee_id: string | null }>(
      "SELECT id::text, assignee_id::text FROM handoffs WHERE conversation_id = $1 AND status <> 'resolved'",
      [input.conversationId],
    );
    return { handoffId: open[0]?.id as string, created: false, agentId: open[0]?.assignee_id ?? null };
  });
  const events = opts.events ?? handoffEvents;
  if (result.created) {
    const base = { tenantId: input.tenantId, handoffId: result.handoffId, conversationId: input.conversationId };
    events.publish({ type: "handoff.created", ...base, agentId: null });
    if (result.agentId) events.publish({ type: "handoff.assigned", ...base, agentId: result.agentId });
  }
  const queue = await readQueuePosition(db, result.handoffId);
  return { handoffId: result.handoffId, created: result.created, ...queue };
}

/**
 * Where a handoff stands: 0 once an agent has it, else its place among the tenant's waiting handoffs (priority,
 * then waiting time). The expected wait is the recent average time to assignment times the place; null without
 * history or with no agent online.
 */
export async function readQueuePosition(
  db: Queryable,
  handoffId: string,
): Promise<{ queuePosition: number; expectedWaitMinutes: number | null }> {
  const { rows } = await db.query<{ status: string; position: string; avg_wait_s: number | null; online: string }>(
    `SELECT h.status,
       (SELECT count(*) FROM handoffs w WHERE w.tenant_id = h.tenant_id AND w.status = 'waiting'
          AND (w.priority_rank, -extract(epoch FROM w.created_at), -w.id) >= (h.priority_rank, -extract(epoch FROM h.created_at), -h.id)) AS position,
       (SELECT avg(extract(epoch FROM r.assigned_at - r.created_at))::float8 FROM (
          SELECT assigned_at, created_at FROM handoffs WHERE tenant_id = h.tenant_id AND assigned_at IS NOT NULL
          ORDER BY assigned_at DESC LIMIT 20) r) AS avg_wait_s,
       (SELECT count(*) FROM agents a WHERE a.tenant_id = h.tenant_id AND a.status = 'online') AS online
     FROM handoffs h WHERE h.id = $1`,
    [handoffId],
  );
  const row = rows[0];
  if (!row) return { queuePosition: 0, expectedWaitMinutes: null };
  if (row.status !== "waiting") return { queuePosition: 0, expectedWaitMinutes: row.status === "assigned" ? 0 : null };
  const position = Number(row.position);
  const expected = row.avg_wait_s === null || Number(row.online) === 0 ? null : Math.max(1, Math.ceil((row.avg_wait_s * position) / 60));
  return { queuePosition: position, expectedWaitMinutes: expected };
}

/** Lower-case primary language subtag ("es_ES" → "es"), the unit routing matches on. */
export function normalizeLanguage(language: string | null | undefined): string | null {
  const primary = language?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}
