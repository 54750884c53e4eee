import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { type AgentInput, createAgent, updateAgent } from "./agent-store.ts";
import { type ActionDeps, claimHandoff, resolveHandoff } from "./handoff-actions.ts";
import { createHandoffEvents } from "./handoff-events.ts";
import { createHandoff, type HandoffPriority } from "./handoff-store.ts";
import { pullNextForAgent } from "./routing.ts";
import { openHandoffTestDatabase, SAMPLE_SUMMARY, seedConversation, TEST_TENANT } from "./testing.ts";

let db: Database;
let deps: ActionDeps;
beforeAll(async () => {
  db = await openHandoffTestDatabase();
  deps = { pool: db.pool, queue: { pool: db.pool }, events: createHandoffEvents() };
});
afterAll(() => db.close());

async function agent(name: string, input: Partial<AgentInput>) {
  const { agent } = await createAgent(db.pool, TEST_TENANT, {
    name,
    role: "agent",
    skills: [],
    languages: [],
    maxConcurrent: 5,
    status: "online",
    ...input,
  });
  return agent;
}
async function handoff(skill: string | null, language: string | null, priority: HandoffPriority = "normal") {
  const { conversationId } = await seedConversation(db.pool);
  return createHandoff(db.pool, {
    tenantId: TEST_TENANT,
    conversationId,
    reason: "other",
    priority,
    language,
    skill,
    summary: SAMPLE_SUMMARY,
  });
}
async function assigneeOf(handoffId: string): Promise<string | null> {
  const { rows } = await db.pool.query("SELECT assignee_id::text AS a FROM handoffs WHERE id = $1", [handoffId]);
  return rows[0].a;
}

describe("routing", () => {
  it("matches skill, language and free capacity, least loaded first; skips away agents; otherwise queues by priority", async () => {
    const a = await agent("A", { skills: ["returns"], languages: ["es"], maxConcurrent: 1 });
    const b = await agent("B", { skills: ["returns"], languages: ["es", "en"], maxConcurrent: 2 });
    const away = await agent("Away", { skills: ["returns", "billing"], languages: ["es", "en", "fr"], maxConcurrent: 5, status: "away" });
    const d = await agent("D", { skills: ["billing"], languages: ["en"], maxConcurrent: 3 });

    const h1 = await handoff("returns", "es");
    expect(await assigneeOf(h1.handoffId)).toBe(a.id);
    const h2 = await handoff("returns", "es-MX");
    expect(await assigneeOf(h2.handoffId)).toBe(b.id); // A is full
    const h3 = await handoff("returns", "es");
    expect(await assigneeOf(h3.handoffId)).toBe(b.id);
    const h4 = await handoff("returns", "es"); // everyone matching is full
    expect(h4.queuePosition).toBe(1);
    expect(await assigneeOf(h4.handoffId)).toBeNull();
    expect(await assigneeOf((await handoff("billing", "en")).handoffId)).toBe(d.id);
    const fr = await handoff("returns", "fr"); // only the away agent speaks French
    expect(await assigneeOf(fr.handoffId)).toBeNull();
    const urgent = await handoff("returns", "es", "urgent");
    expect(urgent.queuePosition).toBe(1); // ahead of h4, which waited longer
    expect((await handoff("returns", "es", "low")).queuePosition).toBe(4);

    // Coming online pulls the waiting handoffs it can take: urgent first, then by waiting time.
    await updateAgent(db.pool, TEST_TENANT, away.id, { status: "online", maxConcurrent: 2 });
    const pulled = await pullNextForAgent(db.pool, away.id, deps.events);
    expect(pulled.map((p) => p.handoffId)).toEqual([urgent.handoffId, h4.handoffId]);

    // Freeing capacity (resolve) pulls the next one.
    const resolved = await resolveHandoff(deps, a, h1.handoffId, { returnToBot: true });
    expect(resolved.ok).toBe(true);
    expect(await assigneeOf(fr.handoffId)).toBeNull(); // A does not speak French
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM handoffs WHERE assignee_id = $1 AND status = 'assigned'", [a.id]);
    expect(rows[0].n).toBe(1); // the low-priority returns/es handoff
  });

  it("a handoff without skill or language goes to any online agent with capacity", async () => {
    const { rows } = await db.pool.query("UPDATE agents SET status = 'away' WHERE tenant_id = $1", [TEST_TENANT]);
    expect(rows).toEqual([]);
    const e = await agent("E", { maxConcurrent: 1 });
    expect(await assigneeOf((await handoff(null, null)).handoffId)).toBe(e.id);
    expect(await assigneeOf((await handoff(null, null)).handoffId)).toBeNull();
  });
});

describe("claiming", () => {
  it("exactly one of 20 concurrent claims wins; the others get already_claimed", async () => {
    await db.pool.query("UPDATE agents SET status = 'away'");
    const h = await handoff(null, null);
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => agent(`C${i}`, { status: "away" })));
    const results = await Promise.all(agents.map((a) => claimHandoff(deps, a, h.handoffId)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "already_claimed")).toHaveLength(19);
    const winner = agents[results.findIndex((r) => r.ok)];
    expect(await assigneeOf(h.handoffId)).toBe(winner?.id);
  });
});
