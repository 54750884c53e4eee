/**
 * A human agent writing in a conversation: replies and templates through the outbox (so the 24-hour window,
 * templates and pacing rules hold for people too) and internal notes, which are stored and never sent.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { TemplateValue } from "../compliance/template-store.ts";
import { withTransaction } from "../lib/db.ts";
import { type QueueResult, queueTemplate, queueText } from "../outbox/queue-message.ts";
import type { ActionDeps, ActionRefusal, Actor, HandoffRow } from "./handoff-actions.ts";

/** The open handoff of a conversation, if any. */
export async function openHandoffOf(
  db: Pick<pg.ClientBase, "query">,
  tenantId: string,
  conversationId: string,
): Promise<HandoffRow | undefined> {
  const { rows } = await db.query<HandoffRow>(
    `SELECT id::text, conversation_id::text, status, assignee_id::text FROM handoffs
     WHERE tenant_id = $1 AND conversation_id = $2 AND status <> 'resolved'`,
    [tenantId, conversationId],
  );
  return rows[0];
}

async function conversationExists(db: pg.Pool, tenantId: string, conversationId: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2", [conversationId, tenantId]);
  return rows.length > 0;
}

type SendOutcome = QueueResult | ActionRefusal;

/**
 * Sends as a human. Only the agent holding the conversation's open handoff may write (a waiting one is claimed on
 * the way; without one, a handoff assigned to this agent is opened): any human message makes the conversation
 * human-owned, and the bot stays silent until it is resolved.
 */
async function sendAsHuman(
  deps: ActionDeps,
  agent: Actor,
  conversationId: string,
  queue: (idempotencyKey: string) => Promise<QueueResult>,
  clientId: string | undefined,
): Promise<SendOutcome> {
  if (!(await conversationExists(deps.pool, agent.tenantId, conversationId))) return { ok: false, code: "not_found" };
  const open = await openHandoffOf(deps.pool, agent.tenantId, conversationId);
  if (open?.status === "assigned" && open.assignee_id !== agent.id) return { ok: false, code: "not_assignee" };
  const result = await queue(`agent:${agent.id}:${clientId ?? randomUUID()}`);
  if (!result.ok) return result;
  const handoff = await withTransaction(deps.pool, async (tx) => {
    await tx.query("UPDATE conversations SET owner = 'human' WHERE id = $1", [conversationId]);
    const current = await openHandoffOf(tx, agent.tenantId, conversationId);
    if (current) {
      await tx.query(
        `UPDATE handoffs SET status = 'assigned', assignee_id = $2, assigned_at = COALESCE(assigned_at, now()),
           first_human_reply_at = COALESCE(first_human_reply_at, now()) WHERE id = $1`,
        [current.id, agent.id],
      );
      return { id: current.id, opened: false, claimed: current.status === "waiting" };
    }
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO handoffs (tenant_id, conversation_id, status, reason, priority, summary, assignee_id, assigned_at, first_human_reply_at)
       VALUES ($1, $2, 'assigned', 'other', 'normal', $3, $4, now(), now())
       ON CONFLICT (conversation_id) WHERE status <> 'resolved' DO NOTHING RETURNING id::text`,
      [
        agent.tenantId,
        conversationId,
        JSON.stringify({
          customerWants: "",
          facts: [],
          botTried: [],
          sentiment: "neutral",
          suggestedNextStep: `${agent.name} joined the conversation`,
        }),
        agent.id,
      ],
    );
    return { id: rows[0]?.id ?? "", opened: true, claimed: false };
  });
  const base = { tenantId: agent.tenantId, conversationId };
  if (handoff.opened) deps.events.publish({ type: "handoff.created", ...base, handoffId: handoff.id, agentId: agent.id });
  if (handoff.claimed) deps.events.publish({ type: "handoff.assigned", ...base, handoffId: handoff.id, agentId: agent.id });
  for (const messageId of result.messageIds) deps.events.publish({ type: "message", ...base, direction: "outbound", messageId });
  return result;
}

/**
 * A free-form reply; outside the 24-hour window the outbox refuses with `window_closed` and the usable templates.
 * A reply translated for the customer is marked (`agent:<id>:translated`) and its original kept as an agent-only note.
 */
export async function sendAgentText(
  deps: ActionDeps,
  agent: Actor,
  conversationId: string,
  text: string,
  clientId?: string,
  translatedFrom?: { original: string; language: string },
): Promise<SendOutcome> {
  const source = translatedFrom ? `agent:${agent.id}:translated` : `agent:${agent.id}`;
  const result = await sendAsHuman(
    deps,
    agent,
    conversationId,
    (key) => queueText(deps.queue, { tenantId: agent.tenantId, conversationId, idempotencyKey: key, source, text }),
    clientId,
  );
  if (result.ok && translatedFrom && !result.duplicate) {
    await deps.pool.query(
      "INSERT INTO conversation_notes (tenant_id, conversation_id, agent_id, kind, text) VALUES ($1, $2, $3, 'event', $4)",
      [
        agent.tenantId,
        conversationId,
        agent.id,
        `Reply translated into ${translatedFrom.language}; ${agent.name} wrote: ${translatedFrom.original}`,
      ],
    );
  }
  return result;
}

/** A registered template (allowed outside the window). */
export function sendAgentTemplate(
  deps: ActionDeps,
  agent: Actor,
  conversationId: string,
  t: { name: string; language: string; parameters: TemplateValue[] },
  clientId?: string,
): Promise<SendOutcome> {
  return sendAsHuman(
    deps,
    agent,
    conversationId,
    (key) =>
      queueTemplate(deps.queue, {
        tenantId: agent.tenantId,
        conversationId,
        idempotencyKey: key,
        source: `agent:${agent.id}`,
        name: t.name,
        language: t.language,
        values: t.parameters,
      }),
    clientId,
  );
}

/** An internal note: stored with the conversation, shown to agents, never sent. */
export async function addNote(
  deps: ActionDeps,
  agent: Actor,
  conversationId: string,
  text: string,
): Promise<{ ok: true; noteId: string } | ActionRefusal> {
  if (!(await conversationExists(deps.pool, agent.tenantId, conversationId))) return { ok: false, code: "not_found" };
  const open = await openHandoffOf(deps.pool, agent.tenantId, conversationId);
  const { rows } = await deps.pool.query<{ id: string }>(
    `INSERT INTO conversation_notes (tenant_id, conversation_id, handoff_id, agent_id, kind, text) VALUES ($1, $2, $3, $4, 'note', $5) RETURNING id::text`,
    [agent.tenantId, conversationId, open?.id ?? null, agent.id, text],
  );
  const noteId = rows[0]?.id as string;
  deps.events.publish({ type: "message", tenantId: agent.tenantId, conversationId, direction: "note", messageId: noteId });
  return { ok: true, noteId };
}
