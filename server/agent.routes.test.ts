import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../conversations/inbound-processor.ts";
import { createHandoff, getConversationOwner } from "../handoff/handoff-store.ts";
import { SAMPLE_SUMMARY } from "../handoff/testing.ts";
import { startHarness, type TestHarness, type TestResponse, webhookEnvelope } from "./testing.ts";

let h: TestHarness;
const botCalls: InboundMessage[] = [];
beforeAll(async () => {
  h = await startHarness({ handler: { handleInbound: async (m) => void botCalls.push(m) } });
  h.start();
});
afterAll(() => h.close());

const JSON_HEADERS = { "content-type": "application/json" };
const customerSays = async (from: string, text: string) => (await h.customerSays(from, text)).id;
const settle = async () => {
  await h.sender.idle();
  await h.sandbox?.settled();
  await h.worker.idle();
};
const sandboxMessages = async (to: string) =>
  (await (await h.admin(`/sandbox/messages?to=${to}`)).json()).messages as { type: string; text?: string }[];

async function newAgent(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await h.admin("/admin/agents", { method: "POST", body: JSON.stringify(body), headers: JSON_HEADERS });
  expect(res.status).toBe(201);
  return res.json();
}
function as(token: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<TestResponse> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  return Promise.resolve(h.app.request(`/agent${path}`, { ...init, body, headers }));
}
const handoffFor = (conversationId: string) =>
  createHandoff(h.db.pool, {
    tenantId: "default",
    conversationId,
    reason: "customer_request",
    priority: "high",
    language: "es",
    skill: null,
    summary: SAMPLE_SUMMARY,
  });

describe("API description", () => {
  it("documents the agent and agent admin endpoints in /openapi.json", async () => {
    const doc = (await (await h.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const path of [
      "/agent/handoffs",
      "/agent/handoffs/{id}/claim",
      "/agent/conversations/{id}/messages",
      "/admin/agents",
      "/admin/agents/{id}",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});

describe("/admin/agents", () => {
  it("creates, lists, reads and updates agents; the token is shown once and stored hashed", async () => {
    const created = await newAgent({ name: "Ana", skills: ["Returns"], languages: ["ES"], maxConcurrent: 3 });
    expect(created).toMatchObject({
      name: "Ana",
      role: "agent",
      skills: ["returns"],
      languages: ["es"],
      status: "away",
      token: expect.stringMatching(/^sba_/),
    });
    const { rows } = await h.db.pool.query("SELECT token_hash FROM agents WHERE id = $1", [created.id]);
    expect(rows[0].token_hash).not.toContain(created.token);
    const list = await (await h.admin("/admin/agents")).json();
    expect(list.agents.some((a: { id: string; token?: string }) => a.id === created.id && a.token === undefined)).toBe(true);
    const patched = await h.admin(`/admin/agents/${created.id}`, {
      method: "PATCH",
      body: JSON.stringify({ status: "online", rotateToken: true }),
      headers: JSON_HEADERS,
    });
    const p = await patched.json();
    expect(p).toMatchObject({ status: "online", token: expect.stringMatching(/^sba_/) });
    expect((await as(created.token, "/me")).status).toBe(401);
    expect((await as(p.token, "/me")).status).toBe(200);
  });

  it("refuses bad input, unknown ids and missing admin credentials", async () => {
    const bad = await h.admin("/admin/agents", {
      method: "POST",
      body: JSON.stringify({ name: "", languages: ["spanish"], maxConcurrent: -1 }),
      headers: JSON_HEADERS,
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("bad_request");
    expect((await h.admin("/admin/agents", { method: "POST", body: "{", headers: JSON_HEADERS })).status).toBe(400);
    expect((await h.admin("/admin/agents/999999")).status).toBe(404);
    expect((await h.admin("/admin/agents/abc")).status).toBe(400);
    expect((await h.admin("/admin/agents/999999", { method: "PATCH", body: "{}", headers: JSON_HEADERS })).status).toBe(404);
    expect((await h.app.request("/admin/agents")).status).toBe(401);
  });
});

describe("login and agent authentication", () => {
  it("exchanges a token for an HttpOnly session cookie that authenticates the agent API", async () => {
    const { token } = await newAgent({ name: "Bo" });
    const login = await h.app.request("/agent/login", { method: "POST", body: JSON.stringify({ token }), headers: JSON_HEADERS });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/sb_agent_session=sbs_[\w-]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(";")[0] as string;
    const me = await h.app.request("/agent/me", { headers: { cookie: session } });
    expect(((await me.json()) as { agent: { name: string } }).agent.name).toBe("Bo");
    const page = await h.app.request("/console", { headers: { cookie: session } });
    expect(await page.text()).toContain('id="console"');
    await h.app.request("/agent/logout", { method: "POST", headers: { cookie: session } });
    expect((await h.app.request("/agent/me", { headers: { cookie: session } })).status).toBe(401);
    expect(await (await h.app.request("/console")).text()).toContain('id="login-form"');
  });

  it("refuses unknown tokens, malformed logins and anonymous calls", async () => {
    expect(
      (
        await h.app.request("/agent/login", {
          method: "POST",
          body: JSON.stringify({ token: "sba_nope_nope_nope" }),
          headers: JSON_HEADERS,
        })
      ).status,
    ).toBe(401);
    expect((await h.app.request("/agent/login", { method: "POST", body: "not json", headers: JSON_HEADERS })).status).toBe(400);
    expect((await h.app.request("/agent/handoffs")).status).toBe(401);
    expect((await as("sba_wrong_token_123", "/handoffs")).status).toBe(401);
    expect((await h.app.request("/agent/me", { headers: { cookie: "sb_agent_session=forged" } })).status).toBe(401);
  });
});

describe("a handoff from queue to resolution", () => {
  it("claim, view, reply through the outbox, notes stay internal, bot silent, resolve with CSAT, hand back", async () => {
    const rosa = await newAgent({ name: "Rosa", languages: ["es"], status: "away" });
    const tom = await newAgent({ name: "Tom", status: "away" });
    const conversationId = await customerSays("34622222222", "Quiero hablar con una persona");
    botCalls.length = 0;
    const { handoffId, created, queuePosition } = await handoffFor(conversationId);
    expect(created).toBe(true);
    expect(queuePosition).toBeGreaterThanOrEqual(1);

    const waiting = await (await as(rosa.token, "/handoffs?status=waiting")).json();
    const item = waiting.handoffs.find((x: { id: string }) => x.id === handoffId);
    expect(item).toMatchObject({
      conversationId,
      reason: "customer_request",
      priority: "high",
      language: "es",
      assignee: null,
      summary: SAMPLE_SUMMARY,
    });
    expect(item.customer).toMatchObject({ name: "Lucía", waId: "34622222222" });

    expect((await as(rosa.token, `/handoffs/${handoffId}/claim`, { method: "POST" })).status).toBe(200);
    const second = await as(tom.token, `/handoffs/${handoffId}/claim`, { method: "POST" });
    expect(second.status).toBe(409);
    expect((await second.json()).error.code).toBe("conflict");
    expect((await as(rosa.token, `/handoffs/${handoffId}/claim`, { method: "POST" })).status).toBe(200);
    expect((await (await as(rosa.token, "/handoffs?status=mine")).json()).handoffs.map((x: { id: string }) => x.id)).toContain(handoffId);

    // While human-owned, the customer's messages do not reach the bot.
    await customerSays("34622222222", "¿Hola?");
    expect(botCalls).toHaveLength(0);

    const reply = await as(rosa.token, `/conversations/${conversationId}/messages`, {
      method: "POST",
      json: { text: "Hola Lucía, soy Rosa." },
    });
    expect(reply.status).toBe(202);
    expect((await as(tom.token, `/conversations/${conversationId}/messages`, { method: "POST", json: { text: "hi" } })).status).toBe(403);
    const note = await as(rosa.token, `/conversations/${conversationId}/notes`, {
      method: "POST",
      json: { text: "SECRET: refund approved by manager" },
    });
    expect(note.status).toBe(201);
    await settle();
    const received = await sandboxMessages("34622222222");
    expect(received.map((m) => m.text)).toEqual(["Hola Lucía, soy Rosa."]);
    const { rows: leaked } = await h.db.pool.query("SELECT count(*)::int AS n FROM messages WHERE text LIKE '%SECRET%'");
    expect(leaked[0].n).toBe(0);

    const view = await (await as(rosa.token, `/conversations/${conversationId}`)).json();
    expect(view.transcript.map((m: { by: string; text: string }) => [m.by, m.text])).toEqual([
      ["customer", "Quiero hablar con una persona"],
      ["customer", "¿Hola?"],
      ["human", "Hola Lucía, soy Rosa."],
    ]);
    expect(view.transcript[2]).toMatchObject({ agentName: "Rosa", status: expect.stringMatching(/sent|delivered|read/) });
    expect(view.handoff).toMatchObject({
      id: handoffId,
      status: "assigned",
      summary: SAMPLE_SUMMARY,
      timeToFirstReplySeconds: expect.any(Number),
    });
    expect(view.notes).toEqual([expect.objectContaining({ kind: "note", text: "SECRET: refund approved by manager", agentName: "Rosa" })]);
    expect(view.customer).toMatchObject({ name: "Lucía", identities: { waId: "34622222222" }, marketingConsent: "none" });
    expect(view.window.open).toBe(true);
    expect(view.orders).toHaveProperty("ok");

    const resolve = await as(rosa.token, `/handoffs/${handoffId}/resolve`, { method: "POST", json: { returnToBot: true, csat: true } });
    expect(await resolve.json()).toMatchObject({ resolved: true, owner: "bot", csatQueued: true });
    expect((await as(rosa.token, `/handoffs/${handoffId}/resolve`, { method: "POST", json: { returnToBot: true } })).status).toBe(409);
    const owner = await getConversationOwner(h.db.pool, conversationId);
    expect(owner.owner).toBe("bot");
    expect(owner.botContextSince).toBeInstanceOf(Date);
    await settle();
    const csat = (await sandboxMessages("34622222222")).at(-1);
    expect(csat?.type).toBe("interactive");

    // The customer taps "4": stored, and not handed to the bot.
    const tap = webhookEnvelope({
      contacts: [{ profile: { name: "Lucía" }, wa_id: "34622222222" }],
      messages: [
        {
          from: "34622222222",
          id: "wamid.csat.tap.1",
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: "interactive",
          interactive: { type: "list_reply", list_reply: { id: `csat:${handoffId}:4`, title: "★★★★ 4" } },
        },
      ],
    });
    expect((await h.postWebhook(tap)).status).toBe(200);
    await h.worker.idle();
    const { rows } = await h.db.pool.query("SELECT csat_score FROM handoffs WHERE id = $1", [handoffId]);
    expect(rows[0].csat_score).toBe(4);
    expect(botCalls).toHaveLength(0);

    // Handed back: the bot answers again, from a fresh context, and nothing reopens the handoff by itself.
    await customerSays("34622222222", "Gracias, otra pregunta");
    expect(botCalls).toHaveLength(1);
    expect((await getConversationOwner(h.db.pool, conversationId)).owner).toBe("bot");
  });

  it("outside the 24-hour window a reply gets 409 window_closed with the templates; a template goes out", async () => {
    const lea = await newAgent({ name: "Lea" });
    await h.admin("/admin/templates", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        name: "follow_up",
        language: "es",
        category: "utility",
        body: "Hola {{1}}, seguimos con tu caso.",
        parameters: [{ type: "text" }],
      }),
    });
    const conversationId = await customerSays("34633333333", "Ayuda");
    const { handoffId } = await handoffFor(conversationId);
    await as(lea.token, `/handoffs/${handoffId}/claim`, { method: "POST" });
    await h.db.pool.query("UPDATE conversations SET last_inbound_at = now() - interval '25 hours' WHERE id = $1", [conversationId]);
    const refused = await as(lea.token, `/conversations/${conversationId}/messages`, { method: "POST", json: { text: "¿Sigues ahí?" } });
    expect(refused.status).toBe(409);
    const body = await refused.json();
    expect(body.code).toBe("window_closed");
    expect(body.templates).toContainEqual(expect.objectContaining({ name: "follow_up", language: "es" }));
    const bad = await as(lea.token, `/conversations/${conversationId}/template`, {
      method: "POST",
      json: { name: "follow_up", language: "es", parameters: [] },
    });
    expect(bad.status).toBe(422);
    const ok = await as(lea.token, `/conversations/${conversationId}/template`, {
      method: "POST",
      json: { name: "follow_up", language: "es", parameters: ["Lucía"] },
    });
    expect(ok.status).toBe(202);
    const view = await (await as(lea.token, `/conversations/${conversationId}`)).json();
    expect(view.window.open).toBe(false);
    expect(view.templates.map((t: { name: string }) => t.name)).toContain("follow_up");
  });

  it("transfers to another agent or back to the queue for a skill", async () => {
    const a = await newAgent({ name: "Ari" });
    const b = await newAgent({ name: "Bea" });
    const conversationId = await customerSays("34644444444", "Problema con factura");
    const { handoffId } = await handoffFor(conversationId);
    await as(a.token, `/handoffs/${handoffId}/claim`, { method: "POST" });
    expect((await as(b.token, `/handoffs/${handoffId}/transfer`, { method: "POST", json: { agentId: a.id } })).status).toBe(403);
    expect((await as(a.token, `/handoffs/${handoffId}/transfer`, { method: "POST", json: { agentId: "999999" } })).status).toBe(404);
    const toB = await as(a.token, `/handoffs/${handoffId}/transfer`, { method: "POST", json: { agentId: b.id, note: "billing question" } });
    expect(await toB.json()).toMatchObject({ assigneeId: b.id, status: "assigned" });
    const toSkill = await as(b.token, `/handoffs/${handoffId}/transfer`, { method: "POST", json: { skill: "billing" } });
    expect(await toSkill.json()).toMatchObject({ assigneeId: null, status: "waiting" });
    const view = await (await as(a.token, `/conversations/${conversationId}`)).json();
    expect(view.notes.map((n: { text: string }) => n.text)).toEqual([
      "Ari transferred to agent Bea: billing question",
      "Bea transferred to skill billing",
    ]);
  });

  it("answers bad input with clear errors", async () => {
    const { token } = await newAgent({ name: "Eva" });
    expect((await as(token, "/handoffs?status=everything")).status).toBe(400);
    expect((await as(token, "/handoffs/999999/claim", { method: "POST" })).status).toBe(404);
    expect((await as(token, "/handoffs/abc/claim", { method: "POST" })).status).toBe(400);
    expect((await as(token, "/conversations/999999")).status).toBe(404);
    expect((await as(token, "/conversations/999999/messages", { method: "POST", json: { text: "hi" } })).status).toBe(404);
    expect((await as(token, "/conversations/1/messages", { method: "POST", json: { text: "" } })).status).toBe(400);
    expect((await as(token, "/conversations/1/messages", { method: "POST", json: { text: "x".repeat(5000) } })).status).toBe(400);
    const huge = await as(token, "/conversations/1/messages", { method: "POST", json: { text: "x".repeat(70_000) } });
    expect(huge.status).toBe(413);
    const malformed = await as(token, "/conversations/1/notes", { method: "POST", body: "{not json", headers: JSON_HEADERS });
    expect(malformed.status).toBe(400);
    expect((await as(token, "/handoffs/1/transfer", { method: "POST", json: { agentId: "1", skill: "x" } })).status).toBe(400);
    expect((await as(token, "/handoffs/1/resolve", { method: "POST", json: {} })).status).toBe(400);
  });
});
