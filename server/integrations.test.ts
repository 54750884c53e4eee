import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeErp, fakeErpIntegration, startFakeErp } from "../tools/orders/http/erp-server.fake.ts";
import { createOrderTools } from "../tools/orders/order-tools.ts";
import { startHarness, type TestHarness, textMessageBody } from "./testing.ts";

let h: TestHarness;
let erp: FakeErp;
beforeAll(async () => {
  [h, erp] = await Promise.all([startHarness(), startFakeErp()]);
});
afterAll(async () => {
  await Promise.all([h?.close(), erp?.close()]);
});

const put = (body: unknown, headers: Record<string, string> = {}) =>
  h.admin("/admin/integrations", {
    method: "PUT",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("/admin/integrations", () => {
  it("starts on the demo ERP, saves an http integration and reports which env vars are set", async () => {
    expect(await (await h.admin("/admin/integrations")).json()).toEqual({
      tenantId: "default",
      config: { adapter: "demo" },
      updatedAt: null,
      envVars: [],
    });
    const res = await put(fakeErpIntegration(erp.url));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ config: { adapter: "http", baseUrl: erp.url }, envVars: [{ name: "FAKE_ERP_TOKEN", set: false }] });
    expect((await (await h.admin("/admin/integrations")).json()).config.capabilities.getOrder.path).toBe("/api/orders/{orderId}");
    expect((await put({ adapter: "demo" })).status).toBe(200);
  });

  it.each([
    ["not JSON", "{nope"],
    ["an unknown adapter", { adapter: "sap" }],
    ["an inline secret", { ...fakeErpIntegration("https://erp.example.com"), headers: { authorization: "Bearer abc" } }],
    ["an unknown capability", { ...fakeErpIntegration("https://erp.example.com"), capabilities: { shipRocket: {} } }],
    [
      "an invalid mapping",
      {
        adapter: "http",
        baseUrl: "https://erp.example.com",
        capabilities: { getOrder: { path: "/o/{orderId}", response: { nope: "x" } } },
      },
    ],
  ])("answers 400 for %s, with the problems listed", async (_label, body) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    const err = (await res.json()).error;
    expect(err.code).toBe("bad_request");
    if (typeof body !== "string") expect(err.details.length).toBeGreaterThan(0);
  });

  it("refuses an oversized config, an unknown tenant and a missing token", async () => {
    const huge = { adapter: "http", baseUrl: "https://erp.example.com", capabilities: {}, pad: "x".repeat(70_000) };
    expect((await put(huge)).status).toBe(413);
    expect((await put({ adapter: "demo" }, { "x-tenant-id": "nobody" })).status).toBe(404);
    expect((await h.app.request("/admin/integrations")).status).toBe(401);
    expect((await h.app.request("/admin/integrations", { method: "PUT", body: "{}" })).status).toBe(401);
  });

  it("after a save the order tools of that tenant talk to the configured ERP", async () => {
    h.worker.start();
    await h.postWebhook(textMessageBody({ text: "where is my order?", from: "34600000001" }));
    await h.worker.idle();
    const { rows } = await h.db.pool.query(
      "SELECT c.id::text FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.wa_id = '34600000001'",
    );
    const ctx = { tenantId: "default", conversationId: rows[0].id, customer: { phone: "34600000001" } };
    // No secret header here: the harness passes no ERP env vars.
    expect((await put({ ...fakeErpIntegration(erp.url), headers: { "x-client": "switchboard" } })).status).toBe(200);
    const tools = createOrderTools(ctx, h.orders);
    const list = JSON.parse(String(await tools.find((t) => t.name === "list_my_orders")?.invoke({})));
    expect(list).toMatchObject({ ok: true, orders: [{ order_id: "A-1" }, { order_id: "A-2" }] });
    const other = JSON.parse(String(await tools.find((t) => t.name === "get_order_status")?.invoke({ order_id: "B-1" })));
    expect(other).toMatchObject({ ok: false, error: "order_not_found" });
    expect(erp.requests.at(-1)?.headers["x-client"]).toBe("switchboard");
  });
});
