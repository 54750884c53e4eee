import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type TestHarness, textMessageBody } from "./testing.ts";

let h: TestHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const post = (path: string, body: unknown) =>
  h.admin(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const valid = {
  name: "order_shipped",
  language: "en_US",
  category: "utility",
  body: "Your order {{1}} shipped",
  parameters: [{ type: "text" }],
};

describe("/admin/templates", () => {
  it("creates, lists, replaces and deletes templates", async () => {
    const created = await post("/admin/templates", valid);
    expect(created.status).toBe(201);
    const t = await created.json();
    expect(t).toMatchObject({ ...valid, status: "approved", id: expect.any(String) });
    const replaced = await (await post("/admin/templates", { ...valid, status: "paused" })).json();
    expect(replaced.id).toBe(t.id);
    expect((await (await h.admin("/admin/templates")).json()).templates).toHaveLength(1);
    expect((await (await h.admin("/admin/templates?status=approved")).json()).templates).toHaveLength(0);
    expect((await h.admin(`/admin/templates/${t.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.admin(`/admin/templates/${t.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it.each([
    ["upper-case name", { ...valid, name: "Order" }],
    ["bad language", { ...valid, language: "english" }],
    ["bad category", { ...valid, category: "promo" }],
    ["bad parameter type", { ...valid, parameters: [{ type: "emoji" }] }],
    ["empty body", { ...valid, body: "" }],
    ["not JSON", "{nope"],
  ])("answers 400 for %s", async (_l, body) => {
    const res = await post("/admin/templates", body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("bad_request");
  });

  it("needs the admin token", async () => {
    expect((await h.app.request("/admin/templates")).status).toBe(401);
  });
});

describe("/admin/customers/:id/opt-in", () => {
  it("records an opt-in with its source and wording, and 404s for unknown customers", async () => {
    h.worker.start();
    await h.postWebhook(textMessageBody({ text: "hi", from: "4915700000001" }));
    await h.worker.idle();
    const { rows } = await h.db.pool.query("SELECT id::text FROM customers WHERE wa_id = '4915700000001'");
    const id = rows[0].id;
    const res = await post(`/admin/customers/${id}/opt-in`, {
      source: "website_form",
      textShown: "Yes, Demo Shop may send me offers on WhatsApp",
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ state: "opted_in", history: [{ action: "opt_in", source: "website_form" }] });
    expect((await post("/admin/customers/999999/opt-in", { source: "x", textShown: "y" })).status).toBe(404);
    expect((await post(`/admin/customers/${id}/opt-in`, { source: "x" })).status).toBe(400);
    expect((await post("/admin/customers/abc/opt-in", { source: "x", textShown: "y" })).status).toBe(400);
  });
});

describe("/metrics", () => {
  it("serves Prometheus text to the admin token only", async () => {
    expect((await h.app.request("/metrics")).status).toBe(401);
    const res = await h.admin("/metrics");
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/switchboard_send_results_total/);
  });
});
