import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordContact } from "../conversations/conversation-store.ts";
import { createHandoffEvents } from "../handoff/handoff-events.ts";
import { openHandoffTestDatabase, seedConversation, TEST_TENANT } from "../handoff/testing.ts";
import type { Database } from "../lib/db.ts";
import { createLogger } from "../lib/logger.ts";
import { createTenant } from "../tenants/tenant-store.ts";
import { refreshAutoTags } from "./auto-tags.ts";
import { createCustomerActivity } from "./customer-activity.ts";
import { backfillCustomers } from "./customer-backfill.ts";
import { linkErpCustomer } from "./erp-link.ts";
import { changeManualTags } from "./tag-store.ts";
import { writeTaggingSettings } from "./tagging-settings.ts";

let db: Database;
const silent = createLogger("silent");

beforeAll(async () => {
  db = await openHandoffTestDatabase();
  await createTenant(db.pool, "t2", "Other");
});
afterAll(() => db.close());

async function turn(tenantId: string, conversationId: string, intent: string, language = "en"): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO agent_turns (tenant_id, conversation_id, message_ids, status, duration_ms, trace, intent, language)
     VALUES ($1, $2, '{}', 'replied', 1, '{}', $3, $4) RETURNING id::text`,
    [tenantId, conversationId, intent, language],
  );
  return rows[0]?.id as string;
}
async function handoff(conversationId: string, reason: string, csat: number | null = null): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO handoffs (tenant_id, conversation_id, status, reason, summary, csat_score, resolved_at)
     VALUES ($1, $2, 'resolved', $3, '{}', $4, now()) RETURNING id::text`,
    [TEST_TENANT, conversationId, reason, csat],
  );
  return rows[0]?.id as string;
}
const tagRows = async (customerId: string) =>
  (await db.pool.query("SELECT tag, source, reason, evidence FROM customer_tags WHERE customer_id = $1 ORDER BY tag", [customerId])).rows;

describe("refreshAutoTags", () => {
  it("stores the rules' tags with reasons, replaces stale ones, and never touches manual tags", async () => {
    const c = await seedConversation(db.pool);
    const turnId = await turn(TEST_TENANT, c.conversationId, "returns");
    await changeManualTags(db.pool, TEST_TENANT, c.customerId, { add: ["vip", "escalated"] }, "admin");
    await handoff(c.conversationId, "anger");
    const tags = await refreshAutoTags(db.pool, TEST_TENANT, c.customerId);
    expect(tags?.map((t) => t.tag)).toEqual(["intent:returns", "escalated", "at_risk"]);
    expect(await tagRows(c.customerId)).toEqual([
      expect.objectContaining({ tag: "at_risk", source: "auto", reason: expect.stringContaining("anger") }),
      // The manual "escalated" stays the admin's, reason and all.
      { tag: "escalated", source: "manual", reason: "set by admin", evidence: null },
      {
        tag: "intent:returns",
        source: "auto",
        reason: `turn ${turnId} was classified as returns`,
        evidence: { turnId, conversationId: c.conversationId, intent: "returns" },
      },
      { tag: "vip", source: "manual", reason: "set by admin", evidence: null },
    ]);
    // Switching the at_risk and intents rules off removes those automatic tags on the next refresh; manual ones stay.
    await writeTaggingSettings(db.pool, TEST_TENANT, { atRisk: { enabled: false }, intents: { enabled: false } });
    await refreshAutoTags(db.pool, TEST_TENANT, c.customerId);
    expect((await tagRows(c.customerId)).map((r) => `${r.source}:${r.tag}`)).toEqual(["manual:escalated", "manual:vip"]);
    await writeTaggingSettings(db.pool, TEST_TENANT, {});
  });

  it("refuses to refresh another tenant's customer", async () => {
    const c = await seedConversation(db.pool);
    await turn(TEST_TENANT, c.conversationId, "orders");
    expect(await refreshAutoTags(db.pool, "t2", c.customerId)).toBeUndefined();
    expect(await tagRows(c.customerId)).toEqual([]);
  });
});

describe("recordContact", () => {
  it("widens the contact dates out of order and sets the region, but keeps a time zone set by hand", async () => {
    const c = await seedConversation(db.pool, { waId: "5215512345678" });
    await recordContact(db.pool, c.customerId, "2025-03-02T10:00:00Z", c.waId);
    await recordContact(db.pool, c.customerId, "2025-03-01T10:00:00Z", c.waId);
    const read = async () =>
      (
        await db.pool.query("SELECT first_contact_at, last_contact_at, country, time_zone, time_zone_source FROM customers WHERE id = $1", [
          c.customerId,
        ])
      ).rows[0];
    expect(await read()).toEqual({
      first_contact_at: new Date("2025-03-01T10:00:00Z"),
      last_contact_at: new Date("2025-03-02T10:00:00Z"),
      country: "MX",
      time_zone: "America/Mexico_City",
      time_zone_source: "phone",
    });
    await db.pool.query("UPDATE customers SET time_zone = 'America/Tijuana', time_zone_source = 'manual' WHERE id = $1", [c.customerId]);
    await recordContact(db.pool, c.customerId, "2025-03-03T10:00:00Z", c.waId);
    expect(await read()).toMatchObject({ country: "MX", time_zone: "America/Tijuana", time_zone_source: "manual" });
  });
});

describe("backfillCustomers", () => {
  it("fills contact dates, language and region of customers recorded before the profile existed", async () => {
    const c = await seedConversation(db.pool, { waId: "34600000009" });
    await db.pool.query(
      `INSERT INTO messages (tenant_id, conversation_id, direction, type, text, payload, sent_at)
       VALUES ($1, $2, 'inbound', 'text', 'hola', '{}', '2025-01-05T08:00:00Z'), ($1, $2, 'inbound', 'text', 'hola', '{}', '2025-01-07T08:00:00Z')`,
      [TEST_TENANT, c.conversationId],
    );
    await turn(TEST_TENANT, c.conversationId, "small_talk", "es");
    expect(await backfillCustomers(db.pool)).toBeGreaterThanOrEqual(3);
    const { rows } = await db.pool.query(
      "SELECT first_contact_at, last_contact_at, language, country, time_zone FROM customers WHERE id = $1",
      [c.customerId],
    );
    expect(rows[0]).toEqual({
      first_contact_at: new Date("2025-01-05T08:00:00Z"),
      last_contact_at: new Date("2025-01-07T08:00:00Z"),
      language: "es",
      country: "ES",
      time_zone: "Europe/Madrid",
    });
  });
});

describe("linkErpCustomer", () => {
  const lookup = (found: string[][] | "down") => {
    const tried: string[] = [];
    return {
      tried,
      erp: {
        findCustomersByPhone: async (_t: string, phone: string) =>
          found === "down"
            ? { ok: false as const, reason: "unavailable" as const, detail: "timeout" }
            : { ok: true as const, value: (found.shift() ?? []).map((customerId) => ({ customerId, name: "x", phone })) },
        shouldTry: (id: string) => !tried.includes(id),
        tried: (id: string) => void tried.push(id),
      },
    };
  };

  it("links on exactly one match, leaves two matches unlinked, and does not ask again too soon", async () => {
    const one = await seedConversation(db.pool);
    const { erp } = lookup([["C-1"]]);
    expect(await linkErpCustomer(db.pool, erp, TEST_TENANT, one.customerId)).toEqual({ outcome: "linked", erpCustomerId: "C-1" });
    expect(await linkErpCustomer(db.pool, erp, TEST_TENANT, one.customerId)).toEqual({ outcome: "already_linked" });
    const two = await seedConversation(db.pool);
    const second = lookup([["C-2", "C-3"]]);
    expect(await linkErpCustomer(db.pool, second.erp, TEST_TENANT, two.customerId)).toEqual({ outcome: "ambiguous" });
    expect(await linkErpCustomer(db.pool, second.erp, TEST_TENANT, two.customerId)).toEqual({ outcome: "skipped" });
    expect(await linkErpCustomer(db.pool, lookup("down").erp, TEST_TENANT, two.customerId)).toEqual({ outcome: "unavailable" });
    expect(await linkErpCustomer(db.pool, lookup([["C-9"]]).erp, "t2", two.customerId)).toEqual({ outcome: "skipped" });
    const { rows } = await db.pool.query("SELECT id::text, erp_customer_id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id", [
      [one.customerId, two.customerId],
    ]);
    expect(rows.map((r) => r.erp_customer_id)).toEqual(["C-1", null]);
  });
});

describe("createCustomerActivity", () => {
  it("records the turn's language and refreshes tags after a turn, and after handoff events", async () => {
    const events = createHandoffEvents();
    const activity = createCustomerActivity({ pool: db.pool, logger: silent, events });
    activity.start();
    await activity.idle();
    const c = await seedConversation(db.pool);
    await turn(TEST_TENANT, c.conversationId, "purchase", "fr");
    await activity.afterTurn({ tenantId: TEST_TENANT, conversationId: c.conversationId, language: "fr" });
    expect((await tagRows(c.customerId)).map((r) => r.tag)).toEqual(["high_intent", "lang:fr"]);
    const handoffId = await handoff(c.conversationId, "customer_request", 1);
    events.publish({ type: "handoff.resolved", tenantId: TEST_TENANT, handoffId, conversationId: c.conversationId, agentId: null });
    await activity.idle();
    expect((await tagRows(c.customerId)).map((r) => r.tag)).toEqual(["at_risk", "escalated", "high_intent", "lang:fr"]);
    // A tenant-wide recompute after a settings change.
    await writeTaggingSettings(db.pool, TEST_TENANT, { language: { enabled: false } });
    activity.scheduleTenant(TEST_TENANT);
    await activity.idle();
    expect((await tagRows(c.customerId)).map((r) => r.tag)).toEqual(["at_risk", "escalated", "high_intent"]);
    await activity.stop();
    await writeTaggingSettings(db.pool, TEST_TENANT, {});
  });
});
