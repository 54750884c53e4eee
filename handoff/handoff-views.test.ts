import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { createAgent } from "./agent-store.ts";
import { createHandoff } from "./handoff-store.ts";
import { listHandoffs } from "./handoff-views.ts";
import { openHandoffTestDatabase, SAMPLE_SUMMARY, seedConversation, TEST_TENANT } from "./testing.ts";

let db: Database;
beforeAll(async () => {
  db = await openHandoffTestDatabase();
});
afterAll(() => db.close());

describe("service levels", () => {
  it("flags handoffs waiting past the threshold without a human reply, and reports the time to first reply", async () => {
    const { agent } = await createAgent(db.pool, TEST_TENANT, {
      name: "S",
      role: "agent",
      skills: [],
      languages: [],
      maxConcurrent: 5,
      status: "away",
    });
    const fresh = await seedConversation(db.pool);
    const old = await seedConversation(db.pool);
    const replied = await seedConversation(db.pool);
    const open = (conversationId: string) =>
      createHandoff(db.pool, {
        tenantId: TEST_TENANT,
        conversationId,
        reason: "other",
        priority: "normal",
        language: null,
        summary: SAMPLE_SUMMARY,
      });
    const f = await open(fresh.conversationId);
    const o = await open(old.conversationId);
    const r = await open(replied.conversationId);
    await db.pool.query("UPDATE handoffs SET created_at = now() - interval '10 minutes' WHERE id = ANY($1::bigint[])", [
      [o.handoffId, r.handoffId],
    ]);
    await db.pool.query(
      "UPDATE handoffs SET status = 'assigned', assignee_id = $2, assigned_at = created_at, first_human_reply_at = created_at + interval '90 seconds' WHERE id = $1",
      [r.handoffId, agent.id],
    );
    const all = await listHandoffs(db.pool, TEST_TENANT, { filter: "all", agentId: agent.id, waitAlertSeconds: 300 });
    const byId = new Map(all.map((h) => [h.id, h]));
    expect(byId.get(f.handoffId)).toMatchObject({ waitingTooLong: false, timeToFirstReplySeconds: null });
    expect(byId.get(o.handoffId)).toMatchObject({ waitingTooLong: true, timeToFirstReplySeconds: null });
    expect(byId.get(r.handoffId)).toMatchObject({ waitingTooLong: false, timeToFirstReplySeconds: 90 });
    const waiting = await listHandoffs(db.pool, TEST_TENANT, { filter: "waiting", agentId: agent.id, waitAlertSeconds: 300 });
    expect(waiting.map((h) => h.id)).toEqual([o.handoffId, f.handoffId]); // same priority: longest waiting first
    const mine = await listHandoffs(db.pool, TEST_TENANT, { filter: "mine", agentId: agent.id, waitAlertSeconds: 300 });
    expect(mine.map((h) => h.id)).toEqual([r.handoffId]);
  });
});
