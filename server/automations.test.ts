import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueueDeps } from "../outbox/queue-message.ts";
import { queueText } from "../outbox/queue-message.ts";
import { sandboxTo, settle } from "./campaign-testing.ts";
import { startHarness, type TestHarness } from "./testing.ts";

let h: TestHarness;
let queue: QueueDeps | undefined;

const put = (body: unknown, headers: Record<string, string> = {}) =>
  h.admin("/admin/settings/automations", {
    method: "PUT",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const texts = async (waId: string) => (await sandboxTo(h, waId)).map((m) => m.text);

beforeAll(async () => {
  // A stand-in for the agent: it answers every message, so the test sees where the welcome lands.
  h = await startHarness({
    handler: {
      async handleInbound(m) {
        if (!queue) return;
        await queueText(queue, {
          tenantId: m.tenantId,
          conversationId: m.conversationId,
          idempotencyKey: `reply:${m.messageId}`,
          source: "bot",
          text: "agent reply",
        });
      },
    },
  });
  queue = h.queue;
  h.start();
});
afterAll(async () => {
  await h.close();
});

describe("/admin/settings/automations", () => {
  it("reads the defaults: no welcome, no follow-up, CSAT when the agent asks", async () => {
    const res = await h.admin("/admin/settings/automations");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      timeZone: "UTC",
      allowedHours: { start: "09:00", end: "20:00" },
      welcome: { enabled: false },
      followUp: { enabled: false, afterDays: 3 },
      postResolution: { enabled: true, ask: "agent", kind: "csat" },
    });
  });

  it("answers 400 for invalid settings and templates, 404 for an unknown tenant, 413 oversized, 401 without the token", async () => {
    const bad = [
      "{nope",
      [],
      { timeZone: "Mars/Base" },
      { allowedHours: { start: "9:00", end: "20:00" } },
      { welcome: { enabled: "yes" } },
      { welcome: { texts: { Spanish: "Hola" } } },
      { welcome: { defaultText: "" } },
      { followUp: { enabled: true } },
      { followUp: { enabled: true, afterDays: 0, template: { name: "x", language: "es" } } },
      { followUp: { enabled: true, template: { name: "missing", language: "es" } } },
      { postResolution: { kind: "review" } },
      { postResolution: { kind: "stars" } },
      { surprise: true },
    ];
    for (const body of bad) expect((await put(body)).status).toBe(400);
    const missing = await put({ followUp: { enabled: true, template: { name: "missing", language: "es" } } });
    expect((await missing.json()).error.message).toMatch(/missing \(es\) does not exist/);
    expect((await put({}, { "x-tenant-id": "nobody" })).status).toBe(404);
    expect((await put({ welcome: { defaultText: "x".repeat(70_000) } })).status).toBe(413);
    expect((await h.app.request("/admin/settings/automations")).status).toBe(401);
    expect((await h.app.request("/admin/settings/automations", { method: "PUT", body: "{}" })).status).toBe(401);
    expect((await (await h.admin("/admin/settings/automations")).json()).welcome.enabled).toBe(false);
  });
});

describe("welcome on first contact", () => {
  it("sends nothing extra while turned off", async () => {
    await h.customerSays("34620000001", "Hola");
    await settle(h);
    expect(await texts("34620000001")).toEqual(["agent reply"]);
  });

  it("welcomes a new customer once, in their language, before the agent's reply", async () => {
    const stored = await put({
      welcome: { enabled: true, texts: { es: "¡Bienvenida a Tienda Demo!" }, defaultText: "Welcome to Demo Store!" },
    });
    expect(stored.status).toBe(200);
    await h.customerSays("34620000002", "Hola, ¿tenéis envío gratis?");
    await h.customerSays("34620000002", "¿Y a Canarias?");
    await settle(h);
    expect(await texts("34620000002")).toEqual(["¡Bienvenida a Tienda Demo!", "agent reply", "agent reply"]);
    await h.customerSays("16505550003", "Hello, do you ship to Canada?");
    await settle(h);
    expect(await texts("16505550003")).toEqual(["Welcome to Demo Store!", "agent reply"]);
  });

  it("does not welcome a customer who wrote before it was turned on", async () => {
    await h.customerSays("34620000001", "Otra pregunta");
    await settle(h);
    expect(await texts("34620000001")).toEqual(["agent reply", "agent reply"]);
  });

  it("stops when turned off again", async () => {
    await put({ welcome: { enabled: false } });
    await h.customerSays("34620000004", "Hola");
    await settle(h);
    expect(await texts("34620000004")).toEqual(["agent reply"]);
  });
});
