import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { AppError } from "../lib/errors.ts";
import { createAgent } from "./agent-store.ts";
import { createHandoffEvents, type HandoffEvent } from "./handoff-events.ts";
import { createHandoff, getConversationOwner, normalizeLanguage } from "./handoff-store.ts";
import { openHandoffTestDatabase, SAMPLE_SUMMARY, seedConversation, TEST_TENANT } from "./testing.ts";

let db: Database;
beforeAll(async () => {
  db = await openHandoffTestDatabase();
});
afterAll(() => db.close());

const base = { tenantId: TEST_TENANT, reason: "customer_request", priority: "normal", language: "es", summary: SAMPLE_SUMMARY } as const;

describe("createHandoff / getConversationOwner", () => {
  it("a new conversation belongs to the bot", async () => {
    const { conversationId } = await seedConversation(db.pool);
    expect(await getConversationOwner(db.pool, conversationId)).toEqual({ owner: "bot", botContextSince: null });
  });

  it("opens a handoff, makes the conversation human-owned, and is idempotent while it is open", async () => {
    const { conversationId } = await seedConversation(db.pool);
    const events: HandoffEvent[] = [];
    const bus = createHandoffEvents();
    bus.subscribe((e) => events.push(e));
    const first = await createHandoff(db.pool, { ...base, conversationId }, { events: bus });
    expect(first).toMatchObject({ created: true, queuePosition: expect.any(Number) });
    expect(first.queuePosition).toBeGreaterThanOrEqual(1);
    expect((await getConversationOwner(db.pool, conversationId)).owner).toBe("human");
    const again = await createHandoff(db.pool, { ...base, conversationId, reason: "anger" }, { events: bus });
    expect(again).toMatchObject({ handoffId: first.handoffId, created: false });
    expect(events.map((e) => e.type)).toEqual(["handoff.created"]);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM handoffs WHERE conversation_id = $1", [conversationId]);
    expect(rows[0].n).toBe(1);
  });

  it("concurrent calls for one conversation open exactly one handoff", async () => {
    const { conversationId } = await seedConversation(db.pool);
    const results = await Promise.all(Array.from({ length: 5 }, () => createHandoff(db.pool, { ...base, conversationId })));
    expect(new Set(results.map((r) => r.handoffId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it("routes to a matching online agent: queue position 0", async () => {
    const { agent } = await createAgent(db.pool, TEST_TENANT, {
      name: "Rosa",
      role: "agent",
      skills: ["billing"],
      languages: ["es"],
      maxConcurrent: 2,
      status: "online",
    });
    const { conversationId } = await seedConversation(db.pool);
    const r = await createHandoff(db.pool, { ...base, conversationId, skill: "Billing", language: "es_ES" });
    expect(r).toMatchObject({ created: true, queuePosition: 0, expectedWaitMinutes: 0 });
    const { rows } = await db.pool.query("SELECT status, assignee_id::text FROM handoffs WHERE id = $1", [r.handoffId]);
    expect(rows[0]).toEqual({ status: "assigned", assignee_id: agent.id });
  });

  it("unknown conversation or another tenant's conversation: not_found", async () => {
    await expect(createHandoff(db.pool, { ...base, conversationId: "999999" })).rejects.toBeInstanceOf(AppError);
    const { conversationId } = await seedConversation(db.pool);
    await expect(createHandoff(db.pool, { ...base, tenantId: "other", conversationId })).rejects.toMatchObject({ code: "not_found" });
    await expect(getConversationOwner(db.pool, "999999")).rejects.toMatchObject({ code: "not_found" });
  });

  it("rejects a malformed summary before writing anything", async () => {
    const { conversationId } = await seedConversation(db.pool);
    const summary = { ...SAMPLE_SUMMARY, sentiment: "furious" } as unknown as typeof SAMPLE_SUMMARY;
    await expect(createHandoff(db.pool, { ...base, conversationId, summary })).rejects.toThrow();
    expect((await getConversationOwner(db.pool, conversationId)).owner).toBe("bot");
  });

  it("normalizes languages to the primary subtag", () => {
    expect(normalizeLanguage("pt-BR")).toBe("pt");
    expect(normalizeLanguage("ES_es")).toBe("es");
    expect(normalizeLanguage("")).toBeNull();
    expect(normalizeLanguage("1234")).toBeNull();
    expect(normalizeLanguage(null)).toBeNull();
  });
});
