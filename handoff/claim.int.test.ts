import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db.ts";
import { loadMigrations, migrate } from "../lib/migrate.ts";
import { openServerTestDatabase } from "../lib/testing/test-db.ts";
import { createTenant } from "../tenants/tenant-store.ts";
import { createAgent } from "./agent-store.ts";
import { claimHandoff } from "./handoff-actions.ts";
import { createHandoffEvents } from "./handoff-events.ts";
import { createHandoff } from "./handoff-store.ts";
import { SAMPLE_SUMMARY, seedConversation, TEST_TENANT } from "./testing.ts";

let db: Database;
beforeAll(async () => {
  db = await openServerTestDatabase(25);
  await migrate(db.pool, await loadMigrations());
  await createTenant(db.pool, TEST_TENANT, "Test tenant");
});
afterAll(() => db.close());

describe("claims on PostgreSQL (real concurrency)", () => {
  it("20 agents claiming one handoff at once: exactly one wins", async () => {
    const deps = { pool: db.pool, queue: { pool: db.pool }, events: createHandoffEvents() };
    for (let round = 0; round < 5; round++) {
      const { conversationId } = await seedConversation(db.pool);
      const h = await createHandoff(db.pool, {
        tenantId: TEST_TENANT,
        conversationId,
        reason: "anger",
        priority: "high",
        language: null,
        summary: SAMPLE_SUMMARY,
      });
      const agents = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          createAgent(db.pool, TEST_TENANT, {
            name: `R${round}-${i}`,
            role: "agent",
            skills: [],
            languages: [],
            maxConcurrent: 5,
            status: "away",
          }),
        ),
      );
      const results = await Promise.all(agents.map(({ agent }) => claimHandoff(deps, agent, h.handoffId)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    }
  });

  it("concurrent handoffs never push an agent over capacity", async () => {
    await db.pool.query("UPDATE agents SET status = 'away'");
    const { agent } = await createAgent(db.pool, TEST_TENANT, {
      name: "Cap",
      role: "agent",
      skills: [],
      languages: [],
      maxConcurrent: 3,
      status: "online",
    });
    const conversations = await Promise.all(Array.from({ length: 12 }, () => seedConversation(db.pool)));
    await Promise.all(
      conversations.map(({ conversationId }) =>
        createHandoff(db.pool, {
          tenantId: TEST_TENANT,
          conversationId,
          reason: "other",
          priority: "normal",
          language: null,
          summary: SAMPLE_SUMMARY,
        }),
      ),
    );
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM handoffs WHERE assignee_id = $1 AND status = 'assigned'", [
      agent.id,
    ]);
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
    expect(rows[0].n).toBeLessThanOrEqual(3);
  });
});
