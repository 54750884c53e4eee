import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../tenants/tenant-store.ts";
import { startHarness, type TestHarness, textMessageBody } from "./testing.ts";

let h: TestHarness;
beforeAll(async () => {
  h = await startHarness();
  h.worker.start();
  const now = Math.floor(Date.now() / 1000);
  await h.postWebhook(textMessageBody({ text: "hello", from: "16505550001", name: "Ana", timestamp: now - 60 }));
  await h.postWebhook(textMessageBody({ text: "second", from: "16505550001", name: "Ana", timestamp: now - 30 }));
  await h.postWebhook(textMessageBody({ text: "olá", from: "5511999990000", userId: "BR.1234567890", name: "Bia", timestamp: now }));
  await h.worker.idle();
});
afterAll(async () => {
  await h.close();
});

describe("admin API auth", () => {
  it.each([
    ["no header", undefined],
    ["wrong token", "Bearer nope"],
    ["wrong scheme", "Basic dGVzdA=="],
    ["empty bearer", "Bearer "],
  ])("answers 401 for %s", async (_l, auth) => {
    const res = await h.app.request("/admin/conversations", auth ? { headers: { authorization: auth } } : {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});

describe("GET /admin/conversations", () => {
  it("lists conversations with the customer identities and the 24-hour window", async () => {
    const res = await h.admin("/admin/conversations");
    expect(res.status).toBe(200);
    const { conversations } = await res.json();
    expect(conversations).toHaveLength(2);
    const bia = conversations.find((c: { customer: { name: string } }) => c.customer.name === "Bia");
    expect(bia.customer).toEqual({ waId: "5511999990000", userId: "BR.1234567890", name: "Bia", username: null });
    const ana = conversations.find((c: { customer: { name: string } }) => c.customer.name === "Ana");
    expect(Date.parse(ana.windowExpiresAt) - Date.parse(ana.lastInboundAt)).toBe(24 * 3600 * 1000);
  });

  it("pages with limit and before", async () => {
    const first = await (await h.admin("/admin/conversations?limit=1")).json();
    expect(first.conversations).toHaveLength(1);
    const second = await (await h.admin(`/admin/conversations?limit=1&before=${first.nextBefore}`)).json();
    expect(second.conversations).toHaveLength(1);
    expect(second.conversations[0].id).not.toBe(first.conversations[0].id);
  });

  it.each(["limit=0", "limit=abc", "limit=100000", "before=xyz"])("answers 400 for ?%s", async (q) => {
    const res = await h.admin(`/admin/conversations?${q}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "bad_request", details: expect.any(Array) } });
  });

  it("shows another tenant nothing of the default tenant", async () => {
    await createTenant(h.db.pool, "acme", "Acme");
    const res = await h.admin("/admin/conversations", { headers: { "x-tenant-id": "acme" } });
    expect((await res.json()).conversations).toEqual([]);
  });
});

describe("GET /admin/conversations/:id/messages", () => {
  it("returns the messages oldest first with direction, type, text and status", async () => {
    const { conversations } = await (await h.admin("/admin/conversations")).json();
    const ana = conversations.find((c: { customer: { name: string } }) => c.customer.name === "Ana");
    const res = await h.admin(`/admin/conversations/${ana.id}/messages`);
    expect(res.status).toBe(200);
    const { messages } = await res.json();
    expect(messages.map((m: { text: string }) => m.text)).toEqual(["hello", "second"]);
    expect(messages[0]).toMatchObject({
      direction: "inbound",
      type: "text",
      status: "received",
      waMessageId: expect.stringMatching(/^wamid\./),
    });
  });

  it("answers 404 for an unknown conversation and for another tenant's", async () => {
    expect((await h.admin("/admin/conversations/999999/messages")).status).toBe(404);
    const { conversations } = await (await h.admin("/admin/conversations")).json();
    const res = await h.admin(`/admin/conversations/${conversations[0].id}/messages`, { headers: { "x-tenant-id": "acme" } });
    expect(res.status).toBe(404);
  });

  it("answers 400 for a non-numeric id", async () => {
    expect((await h.admin("/admin/conversations/abc/messages")).status).toBe(400);
    expect((await h.admin("/admin/conversations/1;DROP/messages")).status).toBe(400);
  });
});

describe("health and docs", () => {
  it("answers /healthz, /readyz and serves the OpenAPI document", async () => {
    expect(await (await h.app.request("/healthz")).json()).toEqual({ status: "ok" });
    expect(await (await h.app.request("/readyz")).json()).toMatchObject({ status: "ready" });
    const doc = (await (await h.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/admin/conversations", "/admin/conversations/{id}/messages"]));
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await h.app.request("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
