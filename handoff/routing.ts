/**
 * Routing: a new handoff goes to the least-loaded online agent who has the required skill, speaks the customer's
 * language and has free capacity; otherwise it waits. An agent coming online or freeing capacity pulls the
 * waiting handoffs it can take, highest priority first, then longest waiting. Row locks (`SKIP LOCKED`) keep two
 * routers from over-filling one agent or assigning one handoff twice.
 */
import type pg from "pg";
import { withTransaction } from "../lib/db.ts";
import type { HandoffEvents } from "./handoff-events.ts";

type Queryable = Pick<pg.ClientBase, "query">;

const AGENT_LOAD = "(SELECT count(*) FROM handoffs h WHERE h.assignee_id = a.id AND h.status = 'assigned')";

/** Picks the best agent for a waiting handoff and assigns it, inside the caller's transaction. */
export async function assignBestAgent(
  tx: Queryable,
  h: { tenantId: string; handoffId: string; language: string | null; skill: string | null },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT a.id::text FROM agents a
     WHERE a.tenant_id = $1 AND a.status = 'online'
       AND ($2::text IS NULL OR $2 = ANY (a.skills))
       AND ($3::text IS NULL OR $3 = ANY (a.languages))
       AND ${AGENT_LOAD} < a.max_concurrent
     ORDER BY ${AGENT_LOAD}, a.last_assigned_at NULLS FIRST, a.id
     LIMIT 1
     FOR UPDATE OF a SKIP LOCKED`,
    [h.tenantId, h.skill, h.language],
  );
  const agentId = rows[0]?.id;
  if (!agentId) return null;
  // Re-count under the lock: the load above was read from a snapshot taken before the lock was granted.
  const { rows: fresh } = await tx.query<{ full: boolean }>(
    `SELECT ${AGENT_LOAD} >= a.max_concurrent AS full FROM agents a WHERE a.id = $1`,
    [agentId],
  );
  if (fresh[0]?.full) return null;
  await assign(tx, h.handoffId, agentId);
  return agentId;
}

async function assign(tx: Queryable, handoffId: string, agentId: string): Promise<void> {
  await tx.query("UPDATE handoffs SET status = 'assigned', assignee_id = $2, assigned_at = now() WHERE id = $1", [handoffId, agentId]);
  await tx.query("UPDATE agents SET last_assigned_at = now() WHERE id = $1", [agentId]);
}

/**
 * Fills an agent's free capacity from the queue (when it comes online, resolves or transfers a conversation).
 * Returns the handoffs it received.
 */
export async function pullNextForAgent(
  pool: pg.Pool,
  agentId: string,
  events?: HandoffEvents,
): Promise<{ handoffId: string; conversationId: string }[]> {
  const pulled = await withTransaction(pool, async (tx) => {
    const { rows: agents } = await tx.query<{ tenant_id: string; free: string }>(
      `SELECT a.tenant_id, a.max_concurrent - ${AGENT_LOAD} AS free FROM agents a
       WHERE a.id = $1 AND a.status = 'online' FOR UPDATE OF a`,
      [agentId],
    );
    const agent = agents[0];
    const free = Number(agent?.free ?? 0);
    if (!agent || free <= 0) return [];
    const { rows } = await tx.query<{ id: string; conversation_id: string }>(
      `SELECT h.id::text, h.conversation_id::text FROM handoffs h, agents a
       WHERE a.id = $1 AND h.tenant_id = a.tenant_id AND h.status = 'waiting'
         AND (h.skill IS NULL OR h.skill = ANY (a.skills))
         AND (h.language IS NULL OR h.language = ANY (a.languages))
       ORDER BY h.priority_rank DESC, h.created_at, h.id
       LIMIT $2
       FOR UPDATE OF h SKIP LOCKED`,
      [agentId, free],
    );
    for (const row of rows) await assign(tx, row.id, agentId);
    return rows.map((r) => ({ handoffId: r.id, conversationId: r.conversation_id, tenantId: agent.tenant_id }));
  });
  for (const p of pulled) {
    events?.publish({ type: "handoff.assigned", tenantId: p.tenantId, handoffId: p.handoffId, conversationId: p.conversationId, agentId });
  }
  return pulled.map(({ handoffId, conversationId }) => ({ handoffId, conversationId }));
}
