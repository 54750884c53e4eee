/**
 * What a human agent does with a handoff: claim it (atomically: one winner), transfer it to another agent or
 * skill, and resolve it, optionally handing the conversation back to the bot and asking for a CSAT score. Writing
 * to the customer and notes are in `agent-messages.ts`. Outcomes are typed results; the routes map them to HTTP.
 */
import type pg from "pg";
import { withTransaction } from "../lib/db.ts";
import { type QueueDeps, queueMessage } from "../outbox/queue-message.ts";
import type { Agent } from "./agent-store.ts";
import type { HandoffEvents } from "./handoff-events.ts";
import { assignBestAgent, pullNextForAgent } from "./routing.ts";

export type ActionDeps = { pool: pg.Pool; queue: QueueDeps; events: HandoffEvents; afterResolution?: AfterResolution | undefined };

export type CsatQuestion = { question: string; buttonLabel: string };

/**
 * The tenant's post-resolution policy (campaigns/post-resolution.ts): nothing, the 1-5 CSAT list (sent here), or
 * something it queued itself (a review request). Without one, the CSAT list goes out when the agent asked for it.
 */
export type AfterResolution = (r: {
  tenantId: string;
  handoffId: string;
  conversationId: string;
  agentId: string;
  csat: CsatQuestion | undefined;
}) => Promise<{ kind: "none" } | ({ kind: "csat" } & CsatQuestion) | { kind: "sent"; queued: boolean }>;
export type Actor = Pick<Agent, "id" | "tenantId" | "role" | "name">;

export type ActionRefusal =
  | { ok: false; code: "not_found" }
  | { ok: false; code: "already_claimed"; assigneeId: string | null }
  | { ok: false; code: "not_assignee" }
  | { ok: false; code: "already_resolved" };

export type HandoffRow = { id: string; conversation_id: string; status: string; assignee_id: string | null };

async function readHandoff(db: Pick<pg.ClientBase, "query">, tenantId: string, id: string, lock = false): Promise<HandoffRow | undefined> {
  const { rows } = await db.query<HandoffRow>(
    `SELECT id::text, conversation_id::text, status, assignee_id::text FROM handoffs WHERE id = $1 AND tenant_id = $2${lock ? " FOR UPDATE" : ""}`,
    [id, tenantId],
  );
  return rows[0];
}

/** Takes a waiting handoff. A conditional update: among concurrent claims exactly one matches the row. */
export async function claimHandoff(
  deps: ActionDeps,
  agent: Actor,
  handoffId: string,
): Promise<{ ok: true; conversationId: string } | ActionRefusal> {
  const { rows } = await deps.pool.query<{ conversation_id: string }>(
    `UPDATE handoffs SET status = 'assigned', assignee_id = $3, assigned_at = now()
     WHERE id = $1 AND tenant_id = $2 AND status = 'waiting' RETURNING conversation_id::text`,
    [handoffId, agent.tenantId, agent.id],
  );
  const won = rows[0];
  if (won) {
    deps.events.publish({
      type: "handoff.assigned",
      tenantId: agent.tenantId,
      handoffId,
      conversationId: won.conversation_id,
      agentId: agent.id,
    });
    return { ok: true, conversationId: won.conversation_id };
  }
  const h = await readHandoff(deps.pool, agent.tenantId, handoffId);
  if (!h) return { ok: false, code: "not_found" };
  if (h.status === "resolved") return { ok: false, code: "already_resolved" };
  if (h.assignee_id === agent.id) return { ok: true, conversationId: h.conversation_id };
  return { ok: false, code: "already_claimed", assigneeId: h.assignee_id };
}

/** Who may act on an assigned handoff: its assignee, or an admin. */
function mayAct(agent: Actor, h: HandoffRow): boolean {
  return h.assignee_id === agent.id || agent.role === "admin";
}

export type TransferTarget = { agentId: string } | { skill: string };

/** Hands the handoff to another agent, or back to the queue for a skill (routed at once when someone matches). */
export async function transferHandoff(
  deps: ActionDeps,
  agent: Actor,
  handoffId: string,
  target: TransferTarget,
  note?: string,
): Promise<{ ok: true; assigneeId: string | null } | ActionRefusal | { ok: false; code: "unknown_agent" }> {
  const outcome = await withTransaction(deps.pool, async (tx) => {
    const h = await readHandoff(tx, agent.tenantId, handoffId, true);
    if (!h) return { ok: false as const, code: "not_found" as const };
    if (h.status === "resolved") return { ok: false as const, code: "already_resolved" as const };
    if (!mayAct(agent, h)) return { ok: false as const, code: "not_assignee" as const };
    let assigneeId: string | null;
    let label: string;
    if ("agentId" in target) {
      const { rows } = await tx.query<{ name: string }>("SELECT name FROM agents WHERE id = $1 AND tenant_id = $2", [
        target.agentId,
        agent.tenantId,
      ]);
      if (!rows[0]) return { ok: false as const, code: "unknown_agent" as const };
      await tx.query("UPDATE handoffs SET status = 'assigned', assignee_id = $2, assigned_at = now() WHERE id = $1", [
        handoffId,
        target.agentId,
      ]);
      assigneeId = target.agentId;
      label = `agent ${rows[0].name}`;
    } else {
      const skill = target.skill.trim().toLowerCase();
      await tx.query("UPDATE handoffs SET status = 'waiting', assignee_id = NULL, assigned_at = NULL, skill = $2 WHERE id = $1", [
        handoffId,
        skill,
      ]);
      const { rows } = await tx.query<{ language: string | null }>("SELECT language FROM handoffs WHERE id = $1", [handoffId]);
      assigneeId = await assignBestAgent(tx, { tenantId: agent.tenantId, handoffId, language: rows[0]?.language ?? null, skill });
      label = `skill ${skill}`;
    }
    await tx.query(
      `INSERT INTO conversation_notes (tenant_id, conversation_id, handoff_id, agent_id, kind, text) VALUES ($1, $2, $3, $4, 'event', $5)`,
      [agent.tenantId, h.conversation_id, handoffId, agent.id, `${agent.name} transferred to ${label}${note ? `: ${note}` : ""}`],
    );
    return { ok: true as const, assigneeId, conversationId: h.conversation_id, previous: h.assignee_id };
  });
  if (!outcome.ok) return outcome;
  deps.events.publish({
    type: "handoff.transferred",
    tenantId: agent.tenantId,
    handoffId,
    conversationId: outcome.conversationId,
    agentId: outcome.assigneeId,
  });
  if (outcome.previous && outcome.previous !== outcome.assigneeId) await pullNextForAgent(deps.pool, outcome.previous, deps.events);
  return { ok: true, assigneeId: outcome.assigneeId };
}

export const CSAT_ID = /^csat:(\d{1,18}):([1-5])$/;

/**
 * Closes the handoff. `returnToBot` gives the conversation back to the bot, whose context then starts now (so it
 * does not hand off again on the messages that caused this handoff); otherwise the conversation is closed. With
 * `csat`, the customer gets a 1-5 question (a list message: WhatsApp allows at most 3 reply buttons); a tenant's
 * `afterResolution` policy may turn that off, ask on every resolution, or ask for a review instead.
 */
export async function resolveHandoff(
  deps: ActionDeps,
  agent: Actor,
  handoffId: string,
  opts: { returnToBot: boolean; csat?: CsatQuestion | undefined },
): Promise<{ ok: true; csatQueued: boolean } | ActionRefusal> {
  const outcome = await withTransaction(deps.pool, async (tx) => {
    const h = await readHandoff(tx, agent.tenantId, handoffId, true);
    if (!h) return { ok: false as const, code: "not_found" as const };
    if (h.status === "resolved") return { ok: false as const, code: "already_resolved" as const };
    if (!mayAct(agent, h)) return { ok: false as const, code: "not_assignee" as const };
    await tx.query("UPDATE handoffs SET status = 'resolved', resolved_at = now(), returned_to_bot = $2 WHERE id = $1", [
      handoffId,
      opts.returnToBot,
    ]);
    await tx.query(
      opts.returnToBot
        ? "UPDATE conversations SET owner = 'bot', bot_context_since = now() WHERE id = $1"
        : "UPDATE conversations SET owner = 'closed' WHERE id = $1",
      [h.conversation_id],
    );
    return { ok: true as const, conversationId: h.conversation_id, assigneeId: h.assignee_id };
  });
  if (!outcome.ok) return outcome;
  const ask = deps.afterResolution
    ? await deps.afterResolution({
        tenantId: agent.tenantId,
        handoffId,
        conversationId: outcome.conversationId,
        agentId: agent.id,
        csat: opts.csat,
      })
    : opts.csat
      ? ({ kind: "csat", ...opts.csat } as const)
      : ({ kind: "none" } as const);
  let csatQueued = ask.kind === "sent" && ask.queued;
  if (ask.kind === "csat") {
    const r = await queueMessage(deps.queue, {
      tenantId: agent.tenantId,
      conversationId: outcome.conversationId,
      idempotencyKey: `csat:${handoffId}`,
      source: `agent:${agent.id}`,
      message: {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: ask.question },
          action: {
            button: ask.buttonLabel,
            sections: [{ rows: [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${handoffId}:${n}`, title: `${"★".repeat(n)} ${n}` })) }],
          },
        },
      },
    });
    csatQueued = r.ok;
    if (r.ok) await deps.pool.query("UPDATE handoffs SET csat_requested_at = now() WHERE id = $1", [handoffId]);
  }
  deps.events.publish({
    type: "handoff.resolved",
    tenantId: agent.tenantId,
    handoffId,
    conversationId: outcome.conversationId,
    agentId: agent.id,
  });
  if (outcome.assigneeId) await pullNextForAgent(deps.pool, outcome.assigneeId, deps.events);
  return { ok: true, csatQueued };
}

/** Stores the customer's CSAT answer (a tap on the 1-5 list); false when the id is not an open CSAT question. */
export async function recordCsatAnswer(
  db: Pick<pg.ClientBase, "query">,
  tenantId: string,
  conversationId: string,
  replyId: string,
): Promise<boolean> {
  const m = CSAT_ID.exec(replyId);
  if (!m) return false;
  const { rowCount } = await db.query(
    `UPDATE handoffs SET csat_score = $4, csat_answered_at = now()
     WHERE id = $1 AND tenant_id = $2 AND conversation_id = $3 AND csat_requested_at IS NOT NULL AND csat_score IS NULL`,
    [m[1], tenantId, conversationId, Number(m[2])],
  );
  return (rowCount ?? 0) > 0;
}
