import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../tenants/tenant-store.ts";
import { type AgentHarness, startAgentHarness } from "./agent-testing.ts";
import type { TestResponse } from "./testing.ts";

// Offline agent end to end: each turn records its intent, and the customer record follows (language, ERP link, tags).
let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness();
}, 60_000);
afterAll(() => h.close());

const PHONE = "15550100001";
const customerRow = async () =>
  (await h.db.pool.query("SELECT id::text, language, country, erp_customer_id FROM customers WHERE wa_id = $1", [PHONE])).rows[0];
const tagsOf = async (customerId: string) =>
  ((await (await h.admin(`/admin/customers/${customerId}`)).json()).tags as { tag: string; source: string; reason: string }[]).map(
    (t) => `${t.source}:${t.tag}`,
  );

describe("customer record from agent turns", () => {
  let conversationId: string;

  it("records each turn's intent and keeps language, ERP link and automatic tags current", async () => {
    conversationId = await h.say(PHONE, "Where is my order #D100002?");
    await h.say(PHONE, "How much does the rain jacket cost?");
    const { rows } = await h.db.pool.query("SELECT intent FROM agent_turns WHERE conversation_id = $1 ORDER BY id", [conversationId]);
    expect(rows.map((r) => r.intent)).toEqual(["orders", "purchase"]);
    const customer = await customerRow();
    expect(customer).toMatchObject({ language: "en", country: "US" });
    expect(customer.erp_customer_id).toMatch(/\S/);
    expect(await tagsOf(customer.id)).toEqual(["auto:high_intent", "auto:intent:orders", "auto:lang:en", "auto:region:us"]);
    await h.say(PHONE, "I want to talk to a person");
    expect(await tagsOf(customer.id)).toContain("auto:escalated");
  });

  it("lets a human agent read the tags with their reasons and add or remove manual ones", async () => {
    const created = await h.admin("/admin/agents", {
      method: "POST",
      body: JSON.stringify({ name: "Maya", languages: ["en"] }),
      headers: { "content-type": "application/json" },
    });
    const { id: agentId, token } = await created.json();
    const as = (path: string, init: RequestInit & { json?: unknown } = {}): Promise<TestResponse> => {
      const headers = new Headers(init.headers);
      if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      headers.set("content-type", "application/json");
      const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
      return Promise.resolve(h.app.request(`/agent${path}`, { ...init, body, headers }));
    };
    const listed = await (await as(`/conversations/${conversationId}/tags`)).json();
    expect(listed.tags).toContainEqual(
      expect.objectContaining({ tag: "escalated", source: "auto", reason: "handed off to a person (customer_request)" }),
    );
    const added = await as(`/conversations/${conversationId}/tags`, { method: "PATCH", json: { add: ["callback"] } });
    expect(added.status).toBe(200);
    expect((await added.json()).tags).toContainEqual(
      expect.objectContaining({ tag: "callback", source: "manual", reason: `set by agent:${agentId}` }),
    );
    const refused = await as(`/conversations/${conversationId}/tags`, { method: "PATCH", json: { remove: ["escalated"] } });
    expect(refused.status).toBe(409);
    const removed = await as(`/conversations/${conversationId}/tags`, { method: "PATCH", json: { remove: ["callback"] } });
    expect((await removed.json()).tags.map((t: { tag: string }) => t.tag)).not.toContain("callback");

    for (const json of [{}, { add: ["Bad Tag"] }, { add: "vip" }, { add: ["vip"], note: "x" }, { remove: [] }]) {
      expect((await as(`/conversations/${conversationId}/tags`, { method: "PATCH", json })).status, JSON.stringify(json)).toBe(400);
    }
    expect((await as("/conversations/999999/tags")).status).toBe(404);
    expect((await as("/conversations/abc/tags")).status).toBe(400);
    expect((await as(`/conversations/${conversationId}/tags`, { headers: { authorization: "Bearer nope-nope-nope" } })).status).toBe(401);
    await createTenant(h.db.pool, "t2", "Other");
    const { rows } = await h.db.pool.query(
      `WITH cu AS (INSERT INTO customers (tenant_id, wa_id) VALUES ('t2', '34600000999') RETURNING id)
       INSERT INTO conversations (tenant_id, customer_id, phone_number_id) SELECT 't2', id, 'pn-t2' FROM cu RETURNING id::text`,
    );
    expect((await as(`/conversations/${rows[0].id}/tags`)).status).toBe(404);
    expect((await as(`/conversations/${rows[0].id}/tags`, { method: "PATCH", json: { add: ["vip"] } })).status).toBe(404);

    // The agent resolves the handoff with a CSAT question; a low score marks the customer at risk.
    const { rows: open } = await h.db.pool.query("SELECT id::text FROM handoffs WHERE conversation_id = $1", [conversationId]);
    const handoffId = open[0].id;
    expect((await as(`/handoffs/${handoffId}/claim`, { method: "POST" })).status).toBe(200);
    const resolved = await as(`/handoffs/${handoffId}/resolve`, { method: "POST", json: { returnToBot: true, csat: true } });
    expect(await resolved.json()).toMatchObject({ csatQueued: true });
    const tap = await h.admin("/sandbox/inbound", {
      method: "POST",
      body: JSON.stringify({ from: PHONE, reply: { type: "list_reply", id: `csat:${handoffId}:1`, title: "★ 1" } }),
      headers: { "content-type": "application/json" },
    });
    expect(tap.status).toBe(202);
    await h.settle();
    await h.customers.idle();
    const profile = await (await h.admin(`/admin/customers/${(await customerRow()).id}`)).json();
    expect(profile.tags).toContainEqual(
      expect.objectContaining({ tag: "at_risk", source: "auto", evidence: expect.objectContaining({ handoffId, csat: 1 }) }),
    );
  });
});
