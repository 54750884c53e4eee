import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createResilience } from "../../resilience.ts";
import { type FakeErp, fakeErpIntegration, startFakeErp } from "./erp-server.fake.ts";
import { createHttpOrderSystem } from "./http-order-system.ts";
import { IntegrationConfigSchema } from "./integration-config.ts";

let erp: FakeErp;
beforeAll(async () => {
  erp = await startFakeErp();
});
afterAll(async () => {
  await erp.close();
});
afterEach(() => {
  erp.failNext(0);
  erp.setDelay(0);
  erp.setMode("normal");
  erp.requests.length = 0;
  vi.useRealTimers();
});

const T = "default";
const key = { idempotencyKey: "order-action-test-1" };
function adapter(
  opts: { readAttempts?: number; breaker?: { consecutiveFailures: number; halfOpenAfterMs: number }; env?: Record<string, string> } = {},
) {
  const config = IntegrationConfigSchema.parse(fakeErpIntegration(erp.url));
  if (config.adapter !== "http") throw new Error("expected http");
  const resilience = createResilience({
    backoff: { initialDelayMs: 1, maxDelayMs: 2 },
    readAttempts: opts.readAttempts ?? 3,
    ...(opts.breaker ? { breaker: opts.breaker } : {}),
  });
  return { erpApi: createHttpOrderSystem({ config, resilience, secretEnv: opts.env ?? { FAKE_ERP_TOKEN: "s3cr3t" } }), resilience };
}

describe("http adapter", () => {
  it("maps the ERP's shapes onto our types", async () => {
    const { erpApi } = adapter();
    expect(await erpApi.getOrder(T, "A-2")).toEqual({
      ok: true,
      value: {
        orderId: "A-2",
        customerId: "cust-1",
        status: "shipped",
        currency: "EUR",
        items: [{ itemId: "A-2-SKU1", name: "Trail T-Shirt", price: 24.5, options: {} }],
        shippingAddress: { line1: "1 Harbor Road", city: "Madrid", postalCode: "28013", country: "ES" },
        trackingIds: ["TRK1"],
        returnItemIds: [],
      },
    });
    expect(await erpApi.listOrders(T, "cust-1", { limit: 5 })).toMatchObject({
      ok: true,
      value: [
        { orderId: "A-1", status: "pending", total: 24.5, itemCount: 1 },
        { orderId: "A-2", status: "shipped" },
      ],
    });
    expect(await erpApi.findCustomersByPhone(T, "34600000001")).toMatchObject({
      ok: true,
      value: [{ customerId: "cust-1", email: "ana@example.com" }],
    });
    expect(await erpApi.getCustomer(T, "cust-2")).toMatchObject({ ok: true, value: { name: "Luis Pérez", postalCode: "08001" } });
    expect(await erpApi.trackShipment(T, "TRK1")).toMatchObject({
      ok: true,
      value: { carrier: "NordPost", status: "in_transit", events: [{ location: "Leipzig" }] },
    });
    // The secret came from the environment, the phone was URL-encoded into the query.
    expect(erp.requests[0]?.headers.authorization).toBe("Bearer s3cr3t");
    expect(erp.requests.some((r) => r.url === "/api/customers?phone=34600000001")).toBe(true);
  });

  it("answers not_found for the ERP's 404, without retrying", async () => {
    const { erpApi } = adapter();
    expect(await erpApi.getOrder(T, "Z-9")).toEqual({ ok: false, reason: "not_found" });
    expect(await erpApi.getOrder(T, "../admin")).toEqual({ ok: false, reason: "not_found" });
    expect(erp.requests.map((r) => r.url)).toEqual(["/api/orders/Z-9", "/api/orders/..%2Fadmin"]);
  });

  it("retries a failing read and succeeds; a failing write is not retried", async () => {
    const { erpApi } = adapter();
    erp.failNext(2, 503);
    expect(await erpApi.getOrder(T, "A-1")).toMatchObject({ ok: true });
    expect(erp.requests).toHaveLength(3);
    erp.requests.length = 0;
    erp.failNext(1, 502);
    expect(await erpApi.cancelOrder(T, "A-1", "x", key)).toMatchObject({ ok: false, reason: "unavailable" });
    expect(erp.requests).toHaveLength(1);
    expect(erp.orders.get("A-1")?.state).toBe("open");
  });

  it("a slow ERP times out into unavailable", async () => {
    const config = IntegrationConfigSchema.parse({ ...fakeErpIntegration(erp.url), timeoutMs: 100 });
    if (config.adapter !== "http") throw new Error("expected http");
    const slow = createHttpOrderSystem({ config, resilience: createResilience({ readAttempts: 1 }), secretEnv: { FAKE_ERP_TOKEN: "x" } });
    erp.setDelay(1_500);
    expect(await slow.getOrder(T, "A-1")).toMatchObject({ ok: false, reason: "unavailable", detail: expect.stringMatching(/timed out/i) });
  });

  it.each([
    ["bad_json", /not JSON/],
    ["bad_shape", /does not fit the mapping/],
    ["huge", /larger than/],
  ] as const)("a %s answer is unavailable and not retried", async (mode, detail) => {
    const { erpApi } = adapter();
    erp.setMode(mode);
    expect(await erpApi.getOrder(T, "A-1")).toMatchObject({ ok: false, reason: "unavailable", detail: expect.stringMatching(detail) });
    expect(erp.requests).toHaveLength(1);
  });

  it("a 4xx the config does not name is a permanent failure", async () => {
    const { erpApi } = adapter();
    erp.failNext(1, 401);
    expect(await erpApi.getOrder(T, "A-1")).toMatchObject({ reason: "unavailable", detail: expect.stringContaining("HTTP 401") });
    expect(erp.requests).toHaveLength(1);
  });

  it("a missing secret env var is unavailable and nothing is sent", async () => {
    const { erpApi } = adapter({ env: {} });
    expect(await erpApi.getOrder(T, "A-1")).toMatchObject({ reason: "unavailable", detail: expect.stringContaining("FAKE_ERP_TOKEN") });
    expect(erp.requests).toHaveLength(0);
  });

  it("writes send the idempotency key and body; the ERP's 409 is not_allowed", async () => {
    const { erpApi } = adapter();
    expect(await erpApi.cancelOrder(T, "B-1", "duplicate order", key)).toMatchObject({ ok: true, value: { status: "cancelled" } });
    const req = erp.requests.at(-1);
    expect(req?.headers["idempotency-key"]).toBe(key.idempotencyKey);
    expect(JSON.parse(req?.body ?? "")).toEqual({ reason: "duplicate order", requested_by: "whatsapp" });
    expect(await erpApi.cancelOrder(T, "B-1", "again", { idempotencyKey: "k2" })).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(await erpApi.requestReturn(T, "A-2", ["A-2-SKU1"], "x", key)).toMatchObject({
      reason: "unavailable",
      detail: expect.stringContaining("not configured"),
    });
  });

  it("opens the breaker after consecutive failures (no more requests), and closes after a good trial call", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { erpApi, resilience } = adapter({ readAttempts: 1, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 5_000 } });
    erp.failNext(100, 500);
    for (let i = 0; i < 3; i++) await erpApi.getOrder(T, "A-1");
    expect(resilience.breakerState({ tenantId: T, capability: "getOrder" })).toBe("open");
    const before = erp.requests.length;
    expect(await erpApi.getOrder(T, "A-1")).toMatchObject({ reason: "unavailable", detail: expect.stringContaining("circuit open") });
    expect(erp.requests.length).toBe(before);
    erp.failNext(0);
    expect(await erpApi.trackShipment(T, "TRK1")).toMatchObject({ ok: true }); // other capability unaffected
    vi.setSystemTime(Date.now() + 5_001);
    expect(await erpApi.getOrder(T, "A-1")).toMatchObject({ ok: true });
    expect(resilience.breakerState({ tenantId: T, capability: "getOrder" })).toBe("closed");
  });
});
